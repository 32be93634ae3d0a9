package org.autosync.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.autosync.embedded.EmbeddedS3;
import org.autosync.job.JobHealth;
import org.autosync.job.JobSpec;
import org.autosync.job.MirrorJob;
import org.autosync.job.MirrorStats;
import org.autosync.keys.BucketNames;
import org.autosync.keys.KeyMapper;
import org.autosync.local.SourceFilter;
import org.autosync.local.TempFileNames;
import org.autosync.routes.MirrorRouteTemplates;
import org.autosync.safety.DeletePolicy;
import org.autosync.state.MvStoreSyncState;
import org.autosync.target.Actor;
import org.autosync.target.s3.S3Actor;
import org.autosync.target.s3.S3ActorSettings;
import org.autosync.target.s3.S3ClientFactory;
import org.autosync.target.s3.S3ClientSettings;
import org.autosync.target.swift.SwiftActor;
import org.autosync.target.swift.SwiftSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Turns validated options into sync jobs on a camel-main runtime and runs them: one pass and a summary
 * with {@code --once}, otherwise until the process is stopped.
 */
final class MirrorApplication {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorApplication.class);

    /** Parts of one multipart upload in flight at once; uploads of different files add up to --threads. */
    private static final int PART_CONCURRENCY = 4;

    private final AutosyncCommand options;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    MirrorApplication(AutosyncCommand options) {
        this.options = options;
    }

    int run() {
        try {
            return runValidated();
        } catch (ConfigurationException e) {
            err.println("autosync: " + e.getMessage());
            return ExitCode.CONFIG_ERROR;
        }
    }

    private int runValidated() {
        boolean integrator = options.providedActor != null || IntegratorActors.isClassName(options.actor);
        if (!integrator && !"s3".equals(options.actor) && !"swift".equals(options.actor)) {
            throw new ConfigurationException("unknown --actor '" + options.actor
                    + "': use s3, swift or the fully qualified name of a class implementing org.autosync.target.Actor");
        }
        if (!integrator && (options.actorOptions != null || options.propertiesFile != null)) {
            throw new ConfigurationException("--actor_option and --properties are for --actor=CLASS (integrator actors)");
        }
        if (options.threads < 1) {
            throw new ConfigurationException("--threads must be at least 1");
        }
        if (options.settleTime.isNegative()) {
            throw new ConfigurationException("--settle_time must not be negative");
        }
        DeletePolicy deletes = deletePolicy();
        SourceFilter filter = compileFilter();
        KeyMapper mapper = keyMapper();
        List<Path> sources = sourceDirectories(mapper);
        if (mapper.originalWouldHaveLeadingSlash()) {
            LOG.info("keys never start with '/': where the original autosync would have produced '/x', the key is 'x'");
        }
        if (integrator) {
            return runIntegrator(sources, mapper, filter, deletes);
        }
        return "swift".equals(options.actor)
                ? runSwift(sources, mapper, filter, deletes)
                : runS3(sources, mapper, filter, deletes);
    }

    /** {@code --actor=CLASS} or an actor given by a program (see {@link IntegratorActors}). */
    private int runIntegrator(List<Path> sources, KeyMapper mapper, SourceFilter filter, DeletePolicy deletes) {
        IntegratorActors.JobActors actors = IntegratorActors.jobActors(options, System.getenv("PWD"));
        return runJobs(sources, mapper, filter, deletes, actors.supplier(),
                options.targetContainer != null ? options.targetContainer : "actor", actors.identity());
    }

    /** {@code --actor=s3}: one {@link S3Actor} per job on one shared, tuned client. */
    private int runS3(List<Path> sources, KeyMapper mapper, SourceFilter filter, DeletePolicy deletes) {
        String bucket = options.targetContainer != null ? options.targetContainer
                : options.embeddedS3 != null ? "autosync" : null;
        if (bucket == null) {
            throw new ConfigurationException("--target_container is required (the bucket to mirror into)");
        }
        BucketNames.violation(bucket).ifPresent(rule -> {
            throw new ConfigurationException("invalid bucket name '" + bucket + "': " + rule);
        });
        S3ActorSettings actorSettings = actorSettings();
        try (EmbeddedS3 embedded = options.embeddedS3 == null ? null : startEmbeddedS3()) {
            S3ClientSettings clientSettings = embedded == null
                    ? new S3ClientSettings(options.endpoint == null ? null : URI.create(options.endpoint),
                            options.region, null, options.threads)
                    : new S3ClientSettings(embedded.endpoint(), embedded.region(),
                            StaticCredentialsProvider.create(AwsBasicCredentials.create(embedded.accessKey(), embedded.secretKey())),
                            options.threads);
            String targetIdentity = embedded != null ? "embedded:" + options.embeddedS3.toAbsolutePath().normalize()
                    : options.endpoint != null ? options.endpoint : "aws:" + options.region;
            try (S3Client client = S3ClientFactory.create(clientSettings)) {
                return runJobs(sources, mapper, filter, deletes, () -> new S3Actor(client, bucket, actorSettings),
                        bucket, targetIdentity);
            }
        }
    }

    /** {@code --actor=swift}: one {@link SwiftActor} per job, v1 auth (see {@link SwiftOptions}). */
    private int runSwift(List<Path> sources, KeyMapper mapper, SourceFilter filter, DeletePolicy deletes) {
        SwiftSettings settings = SwiftOptions.settings(options, System.getenv());
        return runJobs(sources, mapper, filter, deletes, () -> new SwiftActor(settings), settings.container(),
                "swift:" + settings.authUrl() + "\n" + settings.user());
    }

    private int runJobs(List<Path> sources, KeyMapper mapper, SourceFilter filter, DeletePolicy deletes,
                        Supplier<Actor> actors, String bucket, String targetIdentity) {
        Main main = new Main();
        main.configure().setName("autosync");
        main.configure().addRoutesBuilder(new MirrorRouteTemplates());
        List<MirrorJob> jobs = new ArrayList<>();
        List<AutoCloseable> closeables = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Path source = sources.get(i);
            JobSpec spec = new JobSpec("job" + (i + 1), source, mapper, filter, options.followSymlinks,
                    options.dryRun, options.threads, !options.once, options.interval, options.reconcileInterval,
                    deletes, options.settleTime, options.watch);
            Actor actor = actors.get();
            MirrorJob job = new MirrorJob(spec, actor,
                    new MvStoreSyncState(stateFile(targetIdentity, bucket, spec.scopePrefix(), source)));
            closeables.add(job::stop);
            try {
                job.start();
            } catch (RuntimeException e) {
                closeables.forEach(MirrorApplication::closeQuietly);
                throw new ConfigurationException(rootMessage(e));
            }
            closeables.add(actor);
            jobs.add(job);
            job.registryBeans().forEach(main::bind);
            main.configure().addRoutesBuilder(job.routes());
            LOG.info("{}: {} -> {} under '{}'{}", spec.id(), source, actor.describe(), spec.scopePrefix(),
                    options.dryRun ? " (dry run)" : "");
        }
        OnceRun onceRun = options.once ? new OnceRun(jobs) : null;
        if (onceRun != null) {
            main.addMainListener(onceRun);
        }
        main.configure().setShutdownTimeout((int) Math.max(1, options.shutdownTimeout.toSeconds()));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                // once the shutdown timeout has passed, interrupt uploads still running (they abort) within
                // a second instead of Camel's default 10 s wait for thread pools
                m.getCamelContext().getExecutorServiceManager().setShutdownAwaitTermination(1000);
            }
        });
        StopSignals signals = StopSignals.install(() -> {
            jobs.forEach(MirrorJob::stopTakingWork);
            main.completed();
        }, options.shutdownTimeout);
        try {
            main.run();
        } catch (Exception e) {
            throw new ConfigurationException("cannot start: " + rootMessage(e));
        } finally {
            // actors before jobs: an upload the actor aborts leaves the job's journal, which closes with the job
            for (int i = closeables.size() - 1; i >= 0; i--) {
                closeQuietly(closeables.get(i));
            }
        }
        if (signals.received()) {
            LOG.info("stopped on {}", signals.signal());
        }
        return onceRun != null ? onceRun.exitCode : ExitCode.OK;
    }

    /** Runs one reconciliation pass per job right after Camel started, prints the summary, then ends main. */
    private final class OnceRun extends MainListenerSupport {
        private final List<MirrorJob> jobs;
        private int exitCode = ExitCode.OK;

        OnceRun(List<MirrorJob> jobs) {
            this.jobs = jobs;
        }

        @Override
        public void afterStart(BaseMainSupport main) {
            MirrorStats.Snapshot total = MirrorStats.Snapshot.zero();
            try {
                for (MirrorJob job : jobs) {
                    try {
                        ((Main) main).getCamelTemplate().requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);
                        if (job.lastPassIncomplete()) {
                            exitCode = Math.max(exitCode, ExitCode.TRANSFER_FAILED);
                        }
                        if (job.health().status() == JobHealth.Status.RAIL_TRIPPED) {
                            // the pass logged the one line that says why, with the numbers
                            exitCode = Math.max(exitCode, ExitCode.SAFETY_RAIL);
                        }
                    } catch (CamelExecutionException e) {
                        Throwable cause = e.getCause() != null ? e.getCause() : e;
                        boolean config = job.actor().isConfigurationError(cause);
                        err.println("autosync: " + job.id() + " (" + job.spec().source() + "): " + job.actor().explain(cause));
                        exitCode = Math.max(exitCode, config ? ExitCode.CONFIG_ERROR : ExitCode.TRANSFER_FAILED);
                    }
                    total = total.plus(job.stats().snapshot());
                }
            } catch (Exception e) {
                err.println("autosync: " + rootMessage(e));
                exitCode = Math.max(exitCode, ExitCode.TRANSFER_FAILED);
            }
            if (total.failed() > 0) {
                exitCode = Math.max(exitCode, ExitCode.TRANSFER_FAILED);
            }
            out.println((options.dryRun ? "autosync (dry run): " : "autosync: ") + total);
            ((Main) main).completed();
        }
    }

    private S3ActorSettings actorSettings() {
        try {
            return new S3ActorSettings(options.multipartThreshold, options.partSize, PART_CONCURRENCY, !options.dryRun);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    private DeletePolicy deletePolicy() {
        try {
            return new DeletePolicy(options.noDelete, options.maxDelete, options.backupPrefix,
                    DeletePolicy.DEFAULT_WINDOW);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    private SourceFilter compileFilter() {
        try {
            return SourceFilter.compile(options.sourceFilter).excluding(TempFileNames.parse(options.excludeTemp));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    private KeyMapper keyMapper() {
        String pwd = System.getenv("PWD");
        try {
            String sourcePrefix = options.sourcePrefix == null ? null
                    : KeyMapper.absoluteFromLogicalPwd(options.sourcePrefix, pwd).toString()
                            + (options.sourcePrefix.endsWith("/") ? "/" : "");
            return new KeyMapper(sourcePrefix, options.targetPrefix);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    private List<Path> sourceDirectories(KeyMapper mapper) {
        String pwd = System.getenv("PWD");
        List<Path> dirs = new ArrayList<>();
        for (String arg : options.sources) {
            Path dir = KeyMapper.absoluteFromLogicalPwd(arg, pwd);
            if (!Files.exists(dir)) {
                throw new ConfigurationException("source " + arg + " does not exist");
            }
            if (!Files.isDirectory(dir)) {
                throw new ConfigurationException("source " + arg + " is not a directory");
            }
            if (!Files.isReadable(dir)) {
                throw new ConfigurationException("source " + arg + " is not readable");
            }
            try {
                mapper.scopePrefixFor(dir);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("source " + dir + " is not under --source_prefix " + options.sourcePrefix);
            }
            dirs.add(dir);
        }
        return dirs;
    }

    private EmbeddedS3 startEmbeddedS3() {
        EmbeddedS3 s3 = EmbeddedS3.start(options.embeddedS3);
        out.println("autosync: embedded S3 server at " + s3.endpoint() + " storing under "
                + options.embeddedS3.toAbsolutePath().normalize());
        out.println("autosync:   AWS_ACCESS_KEY_ID=" + s3.accessKey() + " AWS_SECRET_ACCESS_KEY=" + s3.secretKey()
                + " region " + s3.region() + " (path-style)");
        return s3;
    }

    private Path stateFile(String targetIdentity, String bucket, String scope, Path source) {
        Path dir = options.stateDir != null ? options.stateDir : defaultStateDir();
        String identity = targetIdentity + "\n" + bucket + "\n" + scope + "\n" + source;
        return dir.resolve(bucket + "-" + sha256(identity).substring(0, 16) + ".mv.db");
    }

    private static Path defaultStateDir() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("autosync");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }

    /** A problem with the options or the environment that the user has to fix. */
    static final class ConfigurationException extends RuntimeException {
        ConfigurationException(String message) {
            super(message);
        }
    }
}
