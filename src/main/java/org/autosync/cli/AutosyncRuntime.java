package org.autosync.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.autosync.errors.Causes;
import org.autosync.job.MirrorJob;
import org.autosync.observe.JobObservability;
import org.autosync.routes.AutosyncJobs;
import org.autosync.routes.JobTemplate;
import org.autosync.routes.MirrorRouteTemplates;
import org.autosync.routes.UploadStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camel-main runtime of one run. Every job in it is an instance of the {@value MirrorRouteTemplates#JOB}
 * template: those of the routes directory ({@code templatedRoute}), of the properties file
 * ({@code camel.route-template[n].*}) and those of the flags, which are given the same way as the properties file
 * gives its own: {@code camel.route-template[JOBID].*} properties (which win over the file's). What belongs to the run
 * rather than to a job goes in as the properties and beans {@link JobTemplate} reads (once, dry run, state
 * directory, default S3 service, Swift login), plus the progress interval and, with {@code --http_port}, the health
 * and metrics server.
 */
final class AutosyncRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(AutosyncRuntime.class);

    private final AutosyncCommand options;
    private final CommandLineJobs flagJobs;
    private final S3Service s3;
    private final PrintStream out;
    private final PrintStream err;

    AutosyncRuntime(AutosyncCommand options, CommandLineJobs flagJobs, S3Service s3, PrintStream out, PrintStream err) {
        this.options = options;
        this.flagJobs = flagJobs;
        this.s3 = s3;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs every job until {@code --once} is done or the process is stopped.
     *
     * @param routes     the directory of job routes ({@code *.camel.yaml}), or null
     * @param properties the properties file, or null
     * @return the exit code
     * @throws ConfigurationException when the runtime or a job cannot start
     */
    int run(Path routes, Path properties) {
        Main main = new Main();
        main.configure().setName("autosync");
        main.configure().addRoutesBuilder(new MirrorRouteTemplates());
        if (routes != null) {
            main.configure().withRoutesIncludePattern("file:" + routes + "/*.camel.yaml");
            LOG.info("job routes: {}/*.camel.yaml", routes);
        }
        if (properties != null) {
            main.setPropertyPlaceholderLocations("file:" + properties);
        }
        runtimeProperties(main);
        IntegratorActors.Made actors = flagJobs.jobs().isEmpty() || !IntegratorActors.used(options)
                ? IntegratorActors.Made.NONE : IntegratorActors.declare(main, options, flagJobs.jobIds());
        OnceRun started = new OnceRun(flagJobs, options.once, options.dryRun, out, err);
        main.addMainListener(started);
        main.configure().setShutdownTimeout((int) Math.max(1, options.shutdownTimeout.toSeconds()));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                // once the shutdown timeout has passed, interrupt uploads still running (they abort) within
                // a second instead of Camel's default 10 s wait for thread pools
                m.getCamelContext().getExecutorServiceManager().setShutdownAwaitTermination(1000);
                actors.found(m.getCamelContext());
                addFlagJobs(m.getCamelContext());
                // every job is made and its parameters checked: only now the embedded server starts (and prints its
                // endpoint and credentials), and not at all when there is no job to run
                if (!AutosyncJobs.jobs(m.getCamelContext()).isEmpty()) {
                    s3.start(out);
                }
            }
        });
        StopSignals signals = StopSignals.install(() -> {
            started.allJobs().forEach(MirrorJob::stopTakingWork);
            main.completed();
        }, options.shutdownTimeout);
        try {
            main.run();
        } catch (ConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigurationException("cannot start: " + IntegratorActors.explain(e)
                    .or(() -> AwsSetup.explain(e)).orElseGet(() -> Causes.rootMessage(e)));
        } finally {
            // the jobs stopped with the context; an actor Autosync made is closed after them
            actors.close();
        }
        if (signals.received()) {
            LOG.info("stopped on {}", signals.signal());
        }
        return started.exitCode();
    }

    /**
     * The jobs of the flags, as instances of the template (as {@link AutosyncJobs#add} makes them for any caller),
     * before the context starts: they start with the jobs of the routes and the properties file.
     */
    private void addFlagJobs(CamelContext context) {
        for (Map<String, String> job : flagJobs.jobs()) {
            try {
                AutosyncJobs.add(context, job);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage());
            } catch (Exception e) {
                throw new ConfigurationException("cannot start " + job.get("jobId") + ": "
                        + AwsSetup.explain(e).orElseGet(() -> Causes.rootMessage(e)));
            }
        }
    }

    /** What the run, not a job, decides: read by every job of the template, whichever way it was given. */
    private void runtimeProperties(Main main) {
        main.addInitialProperty(JobTemplate.ONCE, String.valueOf(options.once));
        main.addInitialProperty(JobTemplate.DRY_RUN, String.valueOf(options.dryRun));
        main.addInitialProperty(UploadStep.QUIET, String.valueOf(options.quiet));
        if (options.stateDir != null) {
            main.addInitialProperty(JobTemplate.STATE_DIR, options.stateDir.toAbsolutePath().toString());
        }
        if (options.stateUrl != null) {
            main.addInitialProperty(JobTemplate.STATE_URL, options.stateUrl);
        }
        main.addInitialProperty(JobObservability.PROGRESS_INTERVAL, options.progressInterval.toMillis() + "ms");
        if (options.httpPort != null) {
            serveHealthAndMetrics(main);
        }
        main.bind(JobTemplate.S3_DEFAULTS, s3.defaults());
        main.bind(JobTemplate.SWIFT_DEFAULTS, SwiftOptions.login(options));
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
}
