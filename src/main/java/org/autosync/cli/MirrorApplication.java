package org.autosync.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.autosync.observe.JobObservability;
import org.autosync.routes.AutosyncJobs;
import org.autosync.routes.JobTemplate;
import org.autosync.routes.MirrorRouteTemplates;
import org.autosync.safety.DeletePolicy;
import org.autosync.state.MvStoreSyncState;
import org.autosync.state.StateFiles;
import org.autosync.targets.Actor;
import org.autosync.targets.TargetUri;
import org.autosync.targets.open.TargetFactory;
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

    /** The directory of job routes used when no SOURCE and no --routes is given. */
    static final String DEFAULT_ROUTES = "routes";

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
        if (!integrator && options.actorOptions != null) {
            throw new ConfigurationException("--actor_option is for --actor=CLASS (integrator actors)");
        }
        if (options.httpPort != null && (options.httpPort < 0 || options.httpPort > 65535)) {
            throw new ConfigurationException("--http_port must be a port number (0 to 65535)");
        }
        if (options.progressInterval.isNegative()) {
            throw new ConfigurationException("--progress_interval must not be negative");
        }
        if (options.threads < 1) {
            throw new ConfigurationException("--threads must be at least 1");
        }
        if (options.settleTime.isNegative()) {
            throw new ConfigurationException("--settle_time must not be negative");
        }
        boolean flagsJob = options.sources != null && !options.sources.isEmpty();
        Path routes = routesDirectory(flagsJob);
        Path properties = IntegratorActors.propertiesFile(options, System.getenv("PWD"));
        if (!flagsJob && routes == null && properties == null) {
            throw new ConfigurationException("nothing to mirror: give SOURCE directories, or job routes in ./routes or "
                    + "--routes=DIR (see routes/*.camel.yaml), or jobs in application.properties");
        }
        try (EmbeddedS3 embedded = options.embeddedS3 == null ? null : startEmbeddedS3()) {
            Runtime runtime = new Runtime(s3Defaults(embedded), routes, properties);
            if (!flagsJob) {
                return runJobs(List.of(), null, null, List.of(), runtime);
            }
            DeletePolicy deletes = deletePolicy();
            SourceFilter filter = compileFilter();
            KeyMapper mapper = keyMapper();
            List<Path> sources = sourceDirectories(mapper);
            if (mapper.originalWouldHaveLeadingSlash()) {
                LOG.info("keys never start with '/': where the original autosync would have produced '/x', the key is 'x'");
            }
            if (fanOut) {
                return runFanOut(sources, filter, deletes, runtime);
            }
            if (integrator) {
                return runIntegrator(sources, mapper, filter, deletes, runtime);
            }
            return "swift".equals(options.actor)
                    ? runSwift(sources, mapper, filter, deletes, runtime)
                    : runS3(sources, mapper, filter, deletes, runtime, embedded);
        }
    }

    /**
     * What the whole run shares: how s3:// targets without an endpoint are reached (--endpoint, --region, or the
     * embedded server), the directory of job routes, and the properties file (jobs as camel.route-template[n]).
     */
    private record Runtime(TargetFactory.S3Defaults s3Defaults, Path routes, Path properties) {
    }

    private TargetFactory.S3Defaults s3Defaults(EmbeddedS3 embedded) {
        if (embedded != null) {
            return new TargetFactory.S3Defaults(embedded.endpoint(), embedded.region(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(embedded.accessKey(), embedded.secretKey())),
                    "embedded:" + options.embeddedS3.toAbsolutePath().normalize());
        }
        try {
            return new TargetFactory.S3Defaults(options.endpoint == null ? null : URI.create(options.endpoint),
                    options.region, null, null);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("invalid --endpoint: " + e.getMessage());
        }
    }

    /** {@code --routes=DIR}; else {@code ./routes} when no SOURCE is given and it exists; else none. */
    private Path routesDirectory(boolean flagsJob) {
        String pwd = System.getenv("PWD");
        if (options.routes != null) {
            if (options.routes.toString().isEmpty()) {
                return null;
            }
            Path dir = KeyMapper.absoluteFromLogicalPwd(options.routes.toString(), pwd);
            if (!Files.isDirectory(dir)) {
                throw new ConfigurationException("--routes " + options.routes + " is not a directory");
            }
            return dir;
        }
        Path dir = KeyMapper.absoluteFromLogicalPwd(DEFAULT_ROUTES, pwd);
        return !flagsJob && Files.isDirectory(dir) ? dir : null;
    }

    /** {@code --actor=CLASS} or an actor given by a program (see {@link IntegratorActors}). */
    private int runIntegrator(List<Path> sources, KeyMapper mapper, SourceFilter filter, DeletePolicy deletes,
                              Runtime runtime) {
        IntegratorActors.JobActors actors = IntegratorActors.jobActors(options, System.getenv("PWD"));
        return runJobs(sources, filter, deletes, List.of(new Target(null, null, mapper, actors.supplier(),
                options.targetContainer != null ? options.targetContainer : "actor", actors.identity())), runtime);
    }

    /** {@code --actor=s3}: one {@link S3Actor} per job on one shared, tuned client. */
    private int runS3(List<Path> sources, KeyMapper mapper, SourceFilter filter, DeletePolicy deletes, Runtime runtime,
                      EmbeddedS3 embedded) {
        String bucket = options.targetContainer != null ? options.targetContainer
                : embedded != null ? "autosync" : null;
        if (bucket == null) {
            throw new ConfigurationException("--target_container is required (the bucket to mirror into)");
        }
        BucketNames.violation(bucket).ifPresent(rule -> {
            throw new ConfigurationException("invalid bucket name '" + bucket + "': " + rule);
        });
        S3ActorSettings actorSettings = actorSettings();
        TargetFactory.S3Defaults s3 = runtime.s3Defaults();
        String targetIdentity = s3.identity() != null ? s3.identity()
                : s3.endpoint() != null ? s3.endpoint().toString() : "aws:" + options.region;
        try (S3Client client = S3ClientFactory.create(new S3ClientSettings(s3.endpoint(), s3.region(), s3.credentials(),
                options.threads).withPartConcurrency(actorSettings.partConcurrency()).sharedBy(sources.size()))) {
            return runJobs(sources, filter, deletes, List.of(new Target(null, null, mapper,
                    () -> new S3Actor(client, bucket, actorSettings), bucket, targetIdentity)), runtime);
        }
    }

    /** {@code --actor=swift}: one {@link SwiftActor} per job, v1 auth (see {@link SwiftOptions}). */
    private int runSwift(List<Path> sources, KeyMapper mapper, SourceFilter filter, DeletePolicy deletes, Runtime runtime) {
        SwiftSettings settings = SwiftOptions.settings(options, System.getenv());
        return runJobs(sources, filter, deletes, List.of(new Target(null, null, mapper, () -> new SwiftActor(settings),
                settings.container(), TargetFactory.identity(settings))), runtime);
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
    private int runFanOut(List<Path> sources, SourceFilter filter, DeletePolicy deletes, Runtime runtime) {
        String sourcePrefix = sourcePrefixArg();
        List<TargetUri> uris = new ArrayList<>();
        for (String text : options.targets) {
            TargetUri uri;
            try {
                uri = TargetUri.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage().replace("invalid target", "invalid --target"));
            }
            for (TargetUri other : uris) {
                if (other.sameTargetAs(uri)) {
                    throw new ConfigurationException("--target " + uri.label() + " is given twice");
                }
            }
            uris.add(uri);
        }
        S3ActorSettings actorSettings = actorSettings();
        TargetFactory.SwiftLogin swiftLogin = SwiftOptions.login(options);
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
                try {
                    String identity = TargetFactory.identity(uri, runtime.s3Defaults(), swiftLogin, System.getenv());
                    if (uri.isS3()) {
                        String bucket = uri.container();
                        BucketNames.violation(bucket).ifPresent(rule -> {
                            throw new ConfigurationException("--target " + uri.label() + ": invalid bucket name '" + bucket + "': " + rule);
                        });
                        S3ClientSettings settings = TargetFactory.s3ClientSettings(uri, runtime.s3Defaults(), System.getenv(),
                                options.threads).withPartConcurrency(actorSettings.partConcurrency()).sharedBy(sources.size());
                        S3Client client = S3ClientFactory.create(settings);
                        clients.add(client);
                        targets.add(new Target(name, uri.label() + (settings.endpoint() != null ? " at " + settings.endpoint() : ""),
                                mapper, () -> new S3Actor(client, bucket, actorSettings), bucket, identity));
                    } else {
                        SwiftSettings settings = TargetFactory.swiftSettings(uri, swiftLogin, System.getenv(), options.dryRun);
                        targets.add(new Target(name, uri.label(), mapper, () -> new SwiftActor(settings),
                                settings.container(), identity));
                    }
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("--target " + uri.label() + ": " + e.getMessage());
                }
            }
            return runJobs(sources, filter, deletes, targets, runtime);
        } finally {
            clients.forEach(MirrorApplication::closeQuietly);
        }
    }

    /** camel-main's embedded management server with health checks and Prometheus metrics (/observe/...). */
    private void serveHealthAndMetrics(Main main) {
        main.addInitialProperty("camel.management.enabled", "true");
        main.addInitialProperty("camel.management.port", String.valueOf(options.httpPort));
        main.addInitialProperty("camel.management.host", options.httpHost);
        main.addInitialProperty("camel.management.healthCheckEnabled", "true");
        main.addInitialProperty("camel.management.metricsEnabled", "true");
        main.addInitialProperty("camel.metrics.enabled", "true");
        LOG.info("health: http://{}:{}/observe/health, metrics: http://{}:{}/observe/metrics", options.httpHost,
                options.httpPort, options.httpHost, options.httpPort);
    }

    /**
     * Runs the jobs of the flags (one per SOURCE and target) together with the jobs of the routes directory and the
     * properties file, in one camel-main runtime.
     */
    private int runJobs(List<Path> sources, SourceFilter filter, DeletePolicy deletes, List<Target> targets,
                        Runtime runtime) {
        Main main = new Main();
        main.configure().setName("autosync");
        main.configure().addRoutesBuilder(new MirrorRouteTemplates());
        if (runtime.routes() != null) {
            main.configure().withRoutesIncludePattern("file:" + runtime.routes() + "/*.camel.yaml");
            LOG.info("job routes: {}/*.camel.yaml", runtime.routes());
        }
        if (runtime.properties() != null) {
            main.setPropertyPlaceholderLocations("file:" + runtime.properties());
        }
        main.addInitialProperty(JobTemplate.ONCE, String.valueOf(options.once));
        main.addInitialProperty(JobTemplate.DRY_RUN, String.valueOf(options.dryRun));
        if (options.stateDir != null) {
            main.addInitialProperty(JobTemplate.STATE_DIR, options.stateDir.toAbsolutePath().toString());
        }
        main.addInitialProperty(JobObservability.PROGRESS_INTERVAL, options.progressInterval.toMillis() + "ms");
        if (options.httpPort != null) {
            serveHealthAndMetrics(main);
        }
        main.bind(JobTemplate.S3_DEFAULTS, runtime.s3Defaults());
        main.bind(JobTemplate.SWIFT_DEFAULTS, SwiftOptions.login(options));
        List<MirrorJob> jobs = new ArrayList<>();
        List<AutoCloseable> closeables = new ArrayList<>();
        List<Unit> units = new ArrayList<>();
        for (Target target : targets) {
            units.add(new Unit(target.name() != null ? target.name() : "command-line", target.label(), new ArrayList<>()));
        }
        for (int i = 0; i < sources.size(); i++) {
          for (int t = 0; t < targets.size(); t++) {
            Target target = targets.get(t);
            Path source = sources.get(i);
            String id = "job" + (i + 1) + (target.name() == null ? "" : "-" + target.name());
            JobSpec spec = new JobSpec(id, source, target.mapper(), filter, options.followSymlinks,
                    options.dryRun, options.threads, !options.once, options.interval, options.reconcileInterval,
                    deletes, options.settleTime, options.watch);
            Actor actor = target.actors().get();
            MirrorJob job = new MirrorJob(spec, actor, new MvStoreSyncState(StateFiles.fileFor(options.stateDir,
                    target.identity(), target.bucket(), spec.scopePrefix(), source)));
            closeables.add(job::stop);
            try {
                job.start();
            } catch (RuntimeException e) {
                closeables.forEach(MirrorApplication::closeQuietly);
                throw new ConfigurationException(rootMessage(e));
            }
            closeables.add(actor);
            jobs.add(job);
            units.get(t).jobs().add(job);
            main.configure().addRoutesBuilder(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() throws Exception {
                    AutosyncJobs.add(getContext(), job);
                }
            });
            LOG.info("{}: {} -> {} under '{}'{}", spec.id(), source, actor.describe(), spec.scopePrefix(),
                    options.dryRun ? " (dry run)" : "");
          }
        }
        boolean classic = units.size() == 1 && targets.get(0).name() == null;
        JobsStarted started = new JobsStarted(jobs, units, classic);
        main.addMainListener(started);
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
            started.allJobs().forEach(MirrorJob::stopTakingWork);
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
        return started.exitCode;
    }

    /**
     * What the summary reports on, one line each: a target of the flags with its jobs (one per SOURCE), or a job of
     * the routes or properties.
     */
    private record Unit(String name, String label, List<MirrorJob> jobs) {
    }

    /**
     * Once Camel started: checks that there is a job at all, and with {@code --once} runs one reconciliation pass
     * per job, prints the summary, then ends main. Each unit's passes run in a thread of their own, so a slow or
     * unreachable target delays only its own jobs; with several units there is one summary line per unit plus a
     * total, and the exit code is the worst.
     */
    private final class JobsStarted extends MainListenerSupport {
        private final List<MirrorJob> flagJobs;
        private final List<Unit> units;
        private final boolean classic;
        private volatile List<MirrorJob> allJobs = List.of();
        private int exitCode = ExitCode.OK;

        JobsStarted(List<MirrorJob> flagJobs, List<Unit> units, boolean classic) {
            this.flagJobs = flagJobs;
            this.units = units;
            this.classic = classic;
        }

        List<MirrorJob> allJobs() {
            return allJobs;
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
            List<MirrorJob> all = new ArrayList<>(flagJobs);
            List<Unit> allUnits = new ArrayList<>(units);
            AutosyncJobs.jobs(main.getCamelContext()).stream()
                    .filter(job -> !flagJobs.contains(job))
                    .sorted(java.util.Comparator.comparing(MirrorJob::id))
                    .forEach(job -> {
                        all.add(job);
                        allUnits.add(new Unit(job.id(), job.actor().describe(), List.of(job)));
                    });
            allJobs = List.copyOf(all);
            if (all.isEmpty()) {
                err.println("autosync: nothing to mirror: no SOURCE was given, and the routes and properties define no job "
                        + "(a templatedRoute of " + MirrorRouteTemplates.JOB + ")");
                exitCode = ExitCode.CONFIG_ERROR;
                main.completed();
                return;
            }
            if (!options.once) {
                return;
            }
            java.util.Map<MirrorJob, Integer> codes = new java.util.concurrent.ConcurrentHashMap<>();
            // one thread per unit: its sources' passes one after another (as with a single target, where this is
            // exactly the old sequential run), the units side by side
            java.util.concurrent.ExecutorService passes = java.util.concurrent.Executors.newFixedThreadPool(
                    allUnits.size(), r -> {
                        Thread t = new Thread(r, "autosync-once-pass");
                        t.setDaemon(true);
                        return t;
                    });
            try {
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                for (Unit unit : allUnits) {
                    futures.add(passes.submit(() -> unit.jobs().forEach(job -> codes.put(job, pass(main, job)))));
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
            String head = options.dryRun ? "autosync (dry run): " : "autosync: ";
            MirrorStats.Snapshot total = MirrorStats.Snapshot.zero();
            for (MirrorJob job : all) {
                total = total.plus(job.stats().snapshot());
                exitCode = Math.max(exitCode, codes.getOrDefault(job, ExitCode.TRANSFER_FAILED));
            }
            if (classic && allUnits.size() == 1) {
                out.println(head + total);
            } else {
                for (Unit unit : allUnits) {
                    MirrorStats.Snapshot sum = MirrorStats.Snapshot.zero();
                    int code = ExitCode.OK;
                    for (MirrorJob job : unit.jobs()) {
                        sum = sum.plus(job.stats().snapshot());
                        code = Math.max(code, codes.getOrDefault(job, ExitCode.TRANSFER_FAILED));
                    }
                    String label = unit.label() != null ? unit.label() : unit.jobs().get(0).actor().describe();
                    out.println(head + unit.name() + " " + label + ": "
                            + (code == ExitCode.OK ? "in sync" : "FAILED (exit " + code + ")") + ", " + sum);
                }
                boolean onlyTargets = allUnits.size() == units.size();
                out.println(head + "total over " + allUnits.size() + (onlyTargets ? " targets: " : " jobs: ") + total);
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
