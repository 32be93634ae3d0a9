package org.autosync.observe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.autosync.config.Values;
import org.autosync.job.MirrorJob;

/**
 * The observability of the jobs in one CamelContext: each job gets its {@link JobHealthCheck}, its {@link JobMeters}
 * (when the context has a Micrometer registry, e.g. camel-micrometer-prometheus's) and its {@link ProgressReporter}.
 * Jobs attach themselves: as services added to the context (templates, Karaf, Java) or, for jobs the command line
 * started itself, when the context has started; removing a job's service detaches it.
 */
public final class JobObservability extends LifecycleStrategySupport {

    /** Runtime property: the period of progress lines during a pass (default 30s; 0 disables them). */
    public static final String PROGRESS_INTERVAL = "autosync.progress-interval";
    static final String BEAN = "autosync-observability";
    /** Where camel-micrometer binds its registry. */
    private static final String METER_REGISTRY = "metricsRegistry";
    private static final boolean MICROMETER = present("io.micrometer.core.instrument.MeterRegistry");

    private final CamelContext context;
    private final Map<String, Attached> jobs = new ConcurrentHashMap<>();
    private final Map<String, Duration> progressIntervals = new ConcurrentHashMap<>();
    private ScheduledExecutorService ticks;
    private ExecutorService counting;

    private JobObservability(CamelContext context) {
        this.context = context;
    }

    /** Adds the observability of Autosync's jobs to the context, unless it has it. */
    public static JobObservability install(CamelContext context) {
        synchronized (context) {
            JobObservability existing = context.getRegistry().lookupByNameAndType(BEAN, JobObservability.class);
            if (existing != null) {
                return existing;
            }
            JobObservability observability = new JobObservability(context);
            context.getRegistry().bind(BEAN, observability);
            context.addLifecycleStrategy(observability);
            if (context.isStarted()) {
                observability.attachAll();
            }
            return observability;
        }
    }

    /** A job's own progress interval (its template parameter progressInterval), instead of the runtime's. */
    public void progressInterval(String jobId, Duration every) {
        progressIntervals.put(jobId, every);
    }

    @Override
    public void onContextStarted(CamelContext started) {
        attachAll();
    }

    @Override
    public void onServiceAdd(CamelContext camelContext, Service service, Route route) {
        if (service instanceof MirrorJob job) {
            attach(job);
        }
    }

    @Override
    public void onServiceRemove(CamelContext camelContext, Service service, Route route) {
        if (service instanceof MirrorJob job) {
            Attached attached = jobs.get(job.id());
            if (attached != null && attached.job == job && jobs.remove(job.id(), attached)) {
                attached.close();
                progressIntervals.remove(job.id());
            }
        }
    }

    private void attachAll() {
        context.getRegistry().findByType(MirrorJob.class).forEach(this::attach);
    }

    private synchronized void attach(MirrorJob job) {
        Attached attached = jobs.computeIfAbsent(job.id(), id -> new Attached(job));
        if (attached.meters == null && MICROMETER) {
            attached.meters = Meters.of(context, job);
        }
    }

    private synchronized ScheduledFuture<?> scheduleProgress(MirrorJob job) {
        Duration every = progressIntervals.getOrDefault(job.id(), runtimeProgressInterval());
        if (every.isZero() || every.isNegative()) {
            return null;
        }
        if (ticks == null) {
            ticks = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "autosync-progress");
            counting = context.getExecutorServiceManager().newCachedThreadPool(this, "autosync-progress-count");
        }
        return ticks.scheduleWithFixedDelay(new ProgressReporter(job, counting), every.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private Duration runtimeProgressInterval() {
        return Values.duration(context.getPropertiesComponent().resolveProperty(PROGRESS_INTERVAL).orElse("30s"));
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, JobObservability.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** What one job has attached; closing it detaches all of it. */
    private final class Attached implements AutoCloseable {
        final MirrorJob job;
        final JobHealthCheck health;
        final ScheduledFuture<?> progress;
        volatile AutoCloseable meters;

        Attached(MirrorJob job) {
            this.job = job;
            this.health = new JobHealthCheck(job);
            health.setCamelContext(context);
            HealthCheckRegistry registry = HealthCheckRegistry.get(context);
            if (registry != null) {
                registry.register(health);
            }
            this.progress = scheduleProgress(job);
        }

        @Override
        public void close() {
            HealthCheckRegistry registry = HealthCheckRegistry.get(context);
            if (registry != null) {
                registry.unregister(health);
            }
            if (progress != null) {
                progress.cancel(false);
            }
            if (meters != null) {
                try {
                    meters.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Kept apart so that a runtime without Micrometer (a Karaf without it) never loads its classes. */
    private static final class Meters {
        static AutoCloseable of(CamelContext context, MirrorJob job) {
            io.micrometer.core.instrument.MeterRegistry registry = context.getRegistry()
                    .lookupByNameAndType(METER_REGISTRY, io.micrometer.core.instrument.MeterRegistry.class);
            return registry == null ? null : new JobMeters(registry, job);
        }
    }
}
