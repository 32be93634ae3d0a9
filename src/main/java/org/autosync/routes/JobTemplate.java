package org.autosync.routes;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.autosync.cluster.ClusterServices;
import org.autosync.cluster.JobLeadership;
import org.autosync.config.ClusterUri;
import org.autosync.config.JobParameters;
import org.autosync.job.JobSpec;
import org.autosync.job.MirrorJob;
import org.autosync.observe.JobObservability;
import org.autosync.state.MvStoreSyncState;
import org.autosync.state.StateFiles;
import org.autosync.state.SyncState;
import org.autosync.state.postgres.PostgresSyncState;
import org.autosync.state.postgres.PostgresUrl;
import org.autosync.targets.Actor;
import org.autosync.targets.open.TargetFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one whole job of each instance of the {@value MirrorRouteTemplates#JOB} template, whichever way it was
 * instantiated (a YAML {@code templatedRoute}, {@code camel.route-template[n]} properties, Java, a Karaf
 * configuration): checks the parameters ({@link JobParameters}), opens the target, opens the job's sync state,
 * adds the job with its other routes to the context, and returns the job's reconcile route as the instance's
 * route.
 *
 * <p>What is the runtime's rather than the job's comes from properties: {@value #ONCE} (the jar's
 * {@code --once}: a single pass, no re-scan, no timer), {@value #DRY_RUN}, {@value #STATE_DIR} and {@value #STATE_URL}
 * (each job's own {@code stateDir} or {@code stateUrl} wins); and from
 * beans, when bound: {@value #S3_DEFAULTS} ({@link TargetFactory.S3Defaults}, for {@code s3://} targets without
 * their own endpoint) and {@value #SWIFT_DEFAULTS} ({@link TargetFactory.SwiftLogin}). An {@code s3://} target
 * without parameters uses the registry's {@code S3Client} when it holds exactly one, and leaves it open
 * ({@link TargetFactory#withRegistryClient}).
 */
public final class JobTemplate implements RouteTemplateDefinition.Converter {

    public static final String ONCE = "autosync.once";
    public static final String DRY_RUN = "autosync.dry-run";
    public static final String STATE_DIR = "autosync.state-dir";
    public static final String STATE_URL = "autosync.state-url";
    public static final String S3_DEFAULTS = "autosync-s3-defaults";
    public static final String SWIFT_DEFAULTS = "autosync-swift-defaults";

    private static final Logger LOG = LoggerFactory.getLogger(JobTemplate.class);

    private final CamelContext context;

    JobTemplate(CamelContext context) {
        this.context = context;
    }

    @Override
    public RouteDefinition apply(RouteTemplateDefinition template, Map<String, Object> parameters) throws Exception {
        Map<String, Object> given = new LinkedHashMap<>();
        // Camel gives each parameter under its camelCase and its kebab-case name: one of each is enough
        parameters.forEach((name, value) -> {
            if (!name.contains("-") && value != null) {
                given.put(name, context.resolvePropertyPlaceholders(value.toString()));
            }
        });
        JobParameters p = JobParameters.parse(given, System.getenv("PWD"));
        boolean once = flag(ONCE);
        boolean dryRun = flag(DRY_RUN);
        JobSpec spec = p.toSpec(!once, dryRun);
        CamelClusterService cluster = null;
        if (p.cluster() != null) {
            if (once) {
                throw new IllegalArgumentException("job " + p.jobId() + ": parameter 'cluster': not with a one-shot run "
                        + "(--once), which would mirror on every node; run the job continuously on each node");
            }
            cluster = ClusterServices.obtain(context, p.jobId(), p.cluster());
        }

        Actor actor;
        boolean owned;
        String identity;
        String bucket;
        if (p.actor() != null) {
            actor = context.getRegistry().lookupByNameAndType(p.actor(), Actor.class);
            if (actor == null) {
                throw new IllegalArgumentException("job " + p.jobId() + ": parameter 'actor': no bean '" + p.actor()
                        + "' implementing " + Actor.class.getName() + " in the registry");
            }
            try {
                actor.validate();
            } catch (IllegalArgumentException | IllegalStateException e) {
                // the actor names the settings at fault, never their values
                throw new IllegalArgumentException("job " + p.jobId() + ": actor " + actor.getClass().getName() + ": "
                        + e.getMessage());
            }
            owned = false;
            identity = "actor:" + p.actor();
            bucket = "actor";
        } else {
            TargetFactory.S3Defaults s3 = TargetFactory.withRegistryClient(p.target(),
                    bean(S3_DEFAULTS, TargetFactory.S3Defaults.class, TargetFactory.S3Defaults.AWS), context.getRegistry());
            TargetFactory.SwiftLogin swift = bean(SWIFT_DEFAULTS, TargetFactory.SwiftLogin.class, TargetFactory.SwiftLogin.NONE);
            try {
                identity = TargetFactory.identity(p.target(), s3, swift, System.getenv());
                actor = TargetFactory.open(p.target(), s3, swift, System.getenv(),
                        p.s3Settings().withCreateBucketIfMissing(!dryRun), p.threads(), dryRun);
            } catch (IllegalArgumentException e) {
                // the message is the whole story (and holds no secret); the cause would hide it as the root
                throw new IllegalArgumentException("job " + p.jobId() + ": parameter 'target': " + e.getMessage());
            }
            owned = true;
            bucket = p.target().container();
        }
        MirrorJob job = new MirrorJob(spec, actor, syncState(p, identity, bucket, spec), cluster != null);
        if (owned) {
            job.closeOnStop(actor);
        }
        if (p.progressInterval() != null) {
            JobObservability.install(context).progressInterval(p.jobId(), p.progressInterval());
        }
        JobRoutes.addTo(context, job, false);
        if (cluster != null) {
            context.addService(new JobLeadership(context, cluster, job, p.cluster(),
                    () -> JobRoutes.stopScanRoute(context, p.jobId())), true, true);
        }
        LOG.info("{}: {} -> {} under '{}'{}{}", p.jobId(), spec.source(), actor.describe(), spec.scopePrefix(),
                dryRun ? " (dry run)" : "", cluster != null ? " (standby until this node leads " + ClusterUri.namespace(p.jobId()) + ")" : "");

        parameters.put("job", spec.beanName());
        RouteDefinition route = template.asRouteDefinition();
        route.setId(MirrorRouteTemplates.routeId(MirrorRouteTemplates.RECONCILE, p.jobId()));
        return route;
    }

    /**
     * The one place a job's sync state is chosen: in PostgreSQL when the job or the runtime gives a state URL, else an
     * MVStore file in the state directory; either way named by the same {@link StateFiles#stateId}.
     */
    private SyncState syncState(JobParameters p, String identity, String bucket, JobSpec spec) {
        PostgresUrl url = p.stateUrl() != null ? p.stateUrl() : runtimeStateUrl(p.jobId());
        if (url != null) {
            return new PostgresSyncState(url.withPasswordFrom(System.getenv()),
                    StateFiles.stateId(identity, bucket, spec.scopePrefix(), spec.source()));
        }
        Path stateDir = p.stateDir() != null ? p.stateDir() : runtimeStateDir();
        return new MvStoreSyncState(StateFiles.fileFor(stateDir, identity, bucket, spec.scopePrefix(), spec.source()));
    }

    private PostgresUrl runtimeStateUrl(String jobId) {
        try {
            return context.getPropertiesComponent().resolveProperty(STATE_URL).filter(s -> !s.isBlank())
                    .map(PostgresUrl::parse).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("job " + jobId + ": property " + STATE_URL + ": " + e.getMessage());
        }
    }

    private boolean flag(String property) {
        return Boolean.parseBoolean(context.getPropertiesComponent().resolveProperty(property).orElse("false"));
    }

    private Path runtimeStateDir() {
        return context.getPropertiesComponent().resolveProperty(STATE_DIR).filter(s -> !s.isBlank()).map(Path::of).orElse(null);
    }

    private <T> T bean(String name, Class<T> type, T otherwise) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        return bean != null ? bean : otherwise;
    }
}
