package org.autosync.routes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.autosync.job.JobSpec;
import org.autosync.job.MirrorJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one job to a CamelContext: its beans (the steps the route templates call), the job as a service of
 * the context, and its instances of the {@link MirrorRouteTemplates}. A one-shot job gets the upload, delete and
 * reconcile routes; a continuous one also the re-scan route and the reconciliation timer.
 */
final class JobRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(JobRoutes.class);

    /** One route of a job: the template it comes from, its route id and its parameters. */
    record Instance(String template, String routeId, Map<String, String> parameters) {
    }

    private JobRoutes() {
    }

    /**
     * Adds the job to a running or starting context.
     *
     * @param withReconcileRoute false when the caller's own route is the reconcile route (an instance of the
     *                           {@value MirrorRouteTemplates#JOB} template)
     */
    static void addTo(CamelContext context, MirrorJob job, boolean withReconcileRoute) throws Exception {
        RouteTransfers transfers = new RouteTransfers(context, job);
        job.connect(transfers);
        job.closeOnStop(transfers);
        beans(job).forEach(context.getRegistry()::bind);
        context.addService(job, true, true);
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        if (model.getRouteTemplateDefinition(MirrorRouteTemplates.UPLOAD) == null) {
            context.addRoutes(new MirrorRouteTemplates());
        }
        for (Instance route : instances(job.spec(), job.clustered())) {
            if (withReconcileRoute || !MirrorRouteTemplates.RECONCILE.equals(route.template())) {
                model.addRouteFromTemplate(route.routeId(), route.template(), null, null, new LinkedHashMap<>(route.parameters()));
            }
        }
    }

    /** Stops the job's re-scan route if it runs (its reconciliation pass starts it again). */
    static void stopScanRoute(CamelContext context, String jobId) {
        String scanRoute = MirrorRouteTemplates.routeId(MirrorRouteTemplates.SCAN, jobId);
        try {
            if (context.getRoute(scanRoute) != null && context.getRouteController().getRouteStatus(scanRoute).isStarted()) {
                context.getRouteController().stopRoute(scanRoute);
            }
        } catch (Exception e) {
            LOG.warn("{}: could not stop the re-scan route: {}", jobId, e.getMessage());
        }
    }

    /** The registry names of a job's beans (see {@link #beans}). */
    static List<String> beanNames(JobSpec spec) {
        String name = spec.beanName();
        return List.of(name, name + "-upload", name + "-delete", name + "-reconcile", name + "-changed-files",
                name + "-fingerprint", name + "-filter", name + "-pollStrategy", name + "-breaker");
    }

    /** The beans the route templates refer to, by registry name. */
    private static Map<String, Object> beans(MirrorJob job) {
        JobSpec spec = job.spec();
        String name = spec.beanName();
        UploadStep uploads = new UploadStep(job);
        return Map.of(name, job,
                name + "-upload", uploads,
                name + "-delete", new DeleteStep(job),
                name + "-reconcile", new ReconcileStep(job, uploads),
                name + "-changed-files", new ChangedFilesRepository(job.changes()),
                name + "-fingerprint", new FileFingerprint(spec.mapper()),
                name + "-filter", new SourceFileFilter(spec.filter(), spec.followSymlinks(), spec.settleRule()),
                name + "-pollStrategy", new SourcePollStrategy(spec.id(), spec.source()),
                name + "-breaker", job.breaker().circuitBreaker());
    }

    /** @param clustered whether the job's timer is a {@code master:} route ({@value MirrorRouteTemplates#RECONCILE_LEADER}) */
    static List<Instance> instances(JobSpec spec, boolean clustered) {
        List<Instance> routes = new ArrayList<>();
        routes.add(instance(spec, MirrorRouteTemplates.UPLOAD, Map.of()));
        routes.add(instance(spec, MirrorRouteTemplates.DELETE, Map.of()));
        routes.add(instance(spec, MirrorRouteTemplates.RECONCILE, Map.of()));
        if (spec.continuous()) {
            routes.add(instance(spec, MirrorRouteTemplates.SCAN, Map.of("source", spec.source().toString(),
                    "interval", String.valueOf(spec.interval().toMillis()), "threads", String.valueOf(spec.threads()))));
            routes.add(instance(spec, clustered ? MirrorRouteTemplates.RECONCILE_LEADER : MirrorRouteTemplates.RECONCILE_TIMER,
                    Map.of("checkInterval", String.valueOf(Math.min(1000, spec.reconcileInterval().toMillis())))));
        }
        return routes;
    }

    private static Instance instance(JobSpec spec, String template, Map<String, String> more) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("jobId", spec.id());
        parameters.put("job", spec.beanName());
        parameters.putAll(more);
        return new Instance(template, MirrorRouteTemplates.routeId(template, spec.id()), parameters);
    }
}
