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
import org.autosync.targets.Actor;
import org.autosync.targets.s3.S3Actor;
import org.autosync.targets.s3.S3ActorSettings;
import org.autosync.targets.s3.S3ClientFactory;
import org.autosync.targets.s3.S3ClientSettings;
import org.autosync.targets.swift.SwiftActor;
import org.autosync.targets.swift.SwiftSettings;
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
        boolean fanOut = options.targets != null && !options.targets.isEmpty();
        if (fanOut) {
            rejectSingleTargetOptions();
        }
        boolean integrator = options.providedActor != null || IntegratorActors.isClassName(options.actor);
        if (!integrator && !"s3".equals(options.actor) && !"swift".equals(options.actor)) {
            throw new ConfigurationException("unknown --actor '" + options.actor
                    + "': use s3, swift or the fully qualified name of a class implementing org.autosync.targets.Actor");
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
        if (fanOut) {
            return runFanOut(sources, filter, deletes);
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
        return runJobs(sources, filter, deletes, List.of(new Target(null, null, mapper, actors.supplier(),
                options.targetContainer != null ? options.targetContainer : "actor", actors.identity())));
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
                return runJobs(sources, filter, deletes, List.of(new Target(null, null, mapper,
                        () -> new S3Actor(client, bucket, actorSettings), bucket, targetIdentity)));
            }
        }
    }

    /** {@code --actor=swift}: one {@link SwiftActor} per job, v1 auth (see {@link SwiftOptions}). */
    private int runSwift(List<Path> sources, KeyMapper mapper, SourceFilter filter, DeletePolicy deletes) {
        SwiftSettings settings = SwiftOptions.settings(options, System.getenv());
        return runJobs(sources, filter, deletes, List.of(new Target(null, null, mapper, () -> new SwiftActor(settings),
                settings.container(), swiftIdentity(settings))));
    }

    private static String swiftIdentity(SwiftSettings settings) {
        return "swift:" + settings.authUrl() + "\n" + settings.user();
    }

    /**
     * Where one job's files go. {@code name} is null for the single target of the classic flags (job ids
     * {@code job1}, one summary line); fan-out targets are {@code t1}, {@code t2}, ... (job ids {@code job1-t2}).
     */
    private record Target(String name, String label, KeyMapper mapper, Supplier<Actor> actors, String bucket,
                          String identity) {
    }

    /** {@code --target} is the fan-out spelling; the single-target flags would be ambiguous next to it. */
    private void rejectSingleTargetOptions() {
        if (options.targetContainer != null) {
            throw new ConfigurationException("--target and --target_container do not combine: give the bucket or container "
                    + "in each --target URI (s3://BUCKET/PREFIX, swift://CONTAINER/PREFIX)");
        }
        if (options.targetPrefix != null && !options.targetPrefix.isEmpty()) {
            throw new ConfigurationException("--target and --target_prefix do not combine: give the prefix in each --target URI "
                    + "(s3://BUCKET/PREFIX)");
        }
        if (!"s3".equals(options.actor) || options.providedActor != null) {
            throw new ConfigurationException("--target and --actor do not combine: each --target URI's scheme (s3://, swift://) "
                    + "chooses its actor");
        }
        if (options.embeddedS3 != null) {
            throw new ConfigurationException("--target and --embedded-s3 do not combine: start the S3 server separately and "
                    + "name it with s3://BUCKET?endpoint=URL");
        }
    }

    /** Fan-out: every source into each {@code --target}, one job per (source, target). */
    private int runFanOut(List<Path> sources, SourceFilter filter, DeletePolicy deletes) {
        String sourcePrefix = sourcePrefixArg();
        List<TargetUri> uris = new ArrayList<>();
        for (String text : options.targets) {
            TargetUri uri;
            try {
                uri = TargetUri.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage());
            }
            for (TargetUri other : uris) {
                if (other.scheme().equals(uri.scheme()) && other.container().equals(uri.container())
                        && other.prefix().equals(uri.prefix())
                        && java.util.Objects.equals(other.params().get("endpoint"), uri.params().get("endpoint"))) {
                    throw new ConfigurationException("--target " + uri.label() + " is given twice");
                }
            }
            uris.add(uri);
        }
        S3ActorSettings actorSettings = actorSettings();
        List<Target> targets = new ArrayList<>();
        List<AutoCloseable> clients = new ArrayList<>();
        try {
            for (int i = 0; i < uris.size(); i++) {
                TargetUri uri = uris.get(i);
                KeyMapper mapper;
                try {
                    mapper = new KeyMapper(sourcePrefix, uri.prefix());
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("--target " + uri.text() + ": " + e.getMessage());
                }
                String name = "t" + (i + 1);
                if ("s3".equals(uri.scheme())) {
                    String bucket = uri.container();
                    BucketNames.violation(bucket).ifPresent(rule -> {
                        throw new ConfigurationException("--target " + uri.label() + ": invalid bucket name '" + bucket + "': " + rule);
                    });
                    String endpoint = uri.params().getOrDefault("endpoint", options.endpoint);
                    String region = uri.params().getOrDefault("region", options.region);
                    S3ClientSettings settings;
                    try {
                        settings = new S3ClientSettings(endpoint == null ? null : URI.create(endpoint), region,
                                credentials(uri), options.threads);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigurationException("--target " + uri.label() + ": " + e.getMessage());
                    }
                    S3Client client = S3ClientFactory.create(settings);
                    clients.add(client);
                    String identity = endpoint != null ? endpoint : "aws:" + region;
                    targets.add(new Target(name, uri.label() + (endpoint != null ? " at " + endpoint : ""), mapper,
                            () -> new S3Actor(client, bucket, actorSettings), bucket, identity));
                } else {
                    SwiftSettings settings = swiftSettings(uri.container());
                    targets.add(new Target(name, uri.label(), mapper, () -> new SwiftActor(settings),
                            settings.container(), swiftIdentity(settings)));
                }
            }
            return runJobs(sources, filter, deletes, targets);
        } finally {
            clients.forEach(MirrorApplication::closeQuietly);
        }
    }

    /** {@code access_key_env}/{@code secret_key_env} or {@code profile} of an s3:// target; else the default chain. */
    private static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials(TargetUri uri) {
        String accessVar = uri.params().get("access_key_env");
        if (accessVar != null) {
            String secretVar = uri.params().get("secret_key_env");
            String access = System.getenv(accessVar);
            String secret = System.getenv(secretVar);
            if (access == null || access.isBlank() || secret == null || secret.isBlank()) {
                throw new ConfigurationException("--target " + uri.label() + ": environment variable "
                        + (access == null || access.isBlank() ? accessVar : secretVar) + " is not set");
            }
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret));
        }
        String profile = uri.params().get("profile");
        if (profile != null) {
            return software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider.create(profile);
        }
        return null;
    }

    /**
     * The Swift settings for one swift:// target: the --swift_* options and environment as for
     * {@code --actor=swift}, with the URI's container. (Reuses {@link SwiftOptions} unchanged; the S3-only
     * options it refuses are hidden from it for the call.)
     */
    private SwiftSettings swiftSettings(String container) {
        String savedContainer = options.targetContainer;
        String savedEndpoint = options.endpoint;
        options.targetContainer = container;
        options.endpoint = null;
        try {
            return SwiftOptions.settings(options, System.getenv());
        } finally {
            options.targetContainer = savedContainer;
            options.endpoint = savedEndpoint;
        }
    }

    private int runJobs(List<Path> sources, SourceFilter filter, DeletePolicy deletes, List<Target> targets) {
        Main main = new Main();
        main.configure().setName("autosync");
        main.configure().addRoutesBuilder(new MirrorRouteTemplates());
        List<MirrorJob> jobs = new ArrayList<>();
        List<AutoCloseable> closeables = new ArrayList<>();
        java.util.Map<MirrorJob, Target> targetOf = new java.util.LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
          for (Target target : targets) {
            Path source = sources.get(i);
            String id = "job" + (i + 1) + (target.name() == null ? "" : "-" + target.name());
            JobSpec spec = new JobSpec(id, source, target.mapper(), filter, options.followSymlinks,
                    options.dryRun, options.threads, !options.once, options.interval, options.reconcileInterval,
                    deletes, options.settleTime, options.watch);
            Actor actor = target.actors().get();
            MirrorJob job = new MirrorJob(spec, actor,
                    new MvStoreSyncState(stateFile(target.identity(), target.bucket(), spec.scopePrefix(), source)));
            closeables.add(job::stop);
            try {
                job.start();
            } catch (RuntimeException e) {
                closeables.forEach(MirrorApplication::closeQuietly);
                throw new ConfigurationException(rootMessage(e));
            }
            closeables.add(actor);
            jobs.add(job);
            targetOf.put(job, target);
            job.registryBeans().forEach(main::bind);
            main.configure().addRoutesBuilder(job.routes());
            LOG.info("{}: {} -> {} under '{}'{}", spec.id(), source, actor.describe(), spec.scopePrefix(),
                    options.dryRun ? " (dry run)" : "");
          }
        }
        OnceRun onceRun = options.once ? new OnceRun(jobs, targetOf, targets) : null;
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

    /**
     * Runs one reconciliation pass per job right after Camel started, prints the summary, then ends main.
     * Each target's passes run in a thread of their own, so a slow or unreachable target delays only its own
     * jobs; with several targets there is one summary line per target plus a total, and the exit code is the worst.
     */
    private final class OnceRun extends MainListenerSupport {
        private final List<MirrorJob> jobs;
        private final java.util.Map<MirrorJob, Target> targetOf;
        private final List<Target> targets;
        private int exitCode = ExitCode.OK;

        OnceRun(List<MirrorJob> jobs, java.util.Map<MirrorJob, Target> targetOf, List<Target> targets) {
            this.jobs = jobs;
            this.targetOf = targetOf;
            this.targets = targets;
        }

        /** One job's pass: its exit code contribution. */
        private int pass(Main main, MirrorJob job) {
            int code = ExitCode.OK;
            try {
                main.getCamelTemplate().requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);
                if (job.lastPassIncomplete()) {
                    code = Math.max(code, ExitCode.TRANSFER_FAILED);
                }
                if (job.health().status() == JobHealth.Status.RAIL_TRIPPED) {
                    // the pass logged the one line that says why, with the numbers
                    code = Math.max(code, ExitCode.SAFETY_RAIL);
                }
            } catch (CamelExecutionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                boolean config = job.actor().isConfigurationError(cause);
                err.println("autosync: " + job.id() + " (" + job.spec().source() + "): " + job.actor().explain(cause));
                code = Math.max(code, config ? ExitCode.CONFIG_ERROR : ExitCode.TRANSFER_FAILED);
            } catch (Exception e) {
                err.println("autosync: " + job.id() + " (" + job.spec().source() + "): " + rootMessage(e));
                code = Math.max(code, ExitCode.TRANSFER_FAILED);
            }
            if (job.stats().snapshot().failed() > 0) {
                code = Math.max(code, ExitCode.TRANSFER_FAILED);
            }
            return code;
        }

        @Override
        public void afterStart(BaseMainSupport base) {
            Main main = (Main) base;
            java.util.Map<MirrorJob, Integer> codes = new java.util.LinkedHashMap<>();
            // one thread per target: its sources' passes one after another (as with a single target, where
            // this is exactly the old sequential run), the targets side by side
            java.util.concurrent.ExecutorService passes = java.util.concurrent.Executors.newFixedThreadPool(
                    targets.size(), r -> {
                        Thread t = new Thread(r, "autosync-once-pass");
                        t.setDaemon(true);
                        return t;
                    });
            java.util.concurrent.ConcurrentMap<MirrorJob, Integer> done = new java.util.concurrent.ConcurrentHashMap<>();
            try {
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                for (Target target : targets) {
                    futures.add(passes.submit(() -> {
                        for (MirrorJob job : jobs) {
                            if (targetOf.get(job) == target) {
                                done.put(job, pass(main, job));
                            }
                        }
                    }));
                }
                for (java.util.concurrent.Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        err.println("autosync: " + rootMessage(e));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                passes.shutdownNow();
            }
            for (MirrorJob job : jobs) {
                int code = done.getOrDefault(job, ExitCode.TRANSFER_FAILED);
                codes.put(job, code);
                exitCode = Math.max(exitCode, code);
            }
            String head = options.dryRun ? "autosync (dry run): " : "autosync: ";
            MirrorStats.Snapshot total = MirrorStats.Snapshot.zero();
            for (MirrorJob job : jobs) {
                total = total.plus(job.stats().snapshot());
            }
            boolean fanOut = targets.size() > 1 || targets.get(0).name() != null;
            if (fanOut) {
                for (Target target : targets) {
                    MirrorStats.Snapshot sum = MirrorStats.Snapshot.zero();
                    int code = ExitCode.OK;
                    for (MirrorJob job : jobs) {
                        if (targetOf.get(job) == target) {
                            sum = sum.plus(job.stats().snapshot());
                            code = Math.max(code, codes.getOrDefault(job, ExitCode.TRANSFER_FAILED));
                        }
                    }
                    out.println(head + target.name() + " " + target.label() + ": "
                            + (code == ExitCode.OK ? "in sync" : "FAILED (exit " + code + ")") + ", " + sum);
                }
                out.println(head + "total over " + targets.size() + " targets: " + total);
            } else {
                out.println(head + total);
            }
            main.completed();
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
        try {
            return new KeyMapper(sourcePrefixArg(), options.targetPrefix);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    /** --source_prefix made absolute against $PWD (a trailing '/' kept), or null. */
    private String sourcePrefixArg() {
        return options.sourcePrefix == null ? null
                : KeyMapper.absoluteFromLogicalPwd(options.sourcePrefix, System.getenv("PWD")).toString()
                        + (options.sourcePrefix.endsWith("/") ? "/" : "");
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
