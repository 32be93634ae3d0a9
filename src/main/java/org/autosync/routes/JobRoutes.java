package org.autosync.routes;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.autosync.job.JobSpec;

/**
 * Instantiates the {@link MirrorRouteTemplates} for one job. A one-shot job gets the upload, delete
 * and reconcile routes; a continuous one also the file route and the reconciliation timer.
 */
public class JobRoutes extends RouteBuilder {

    private final JobSpec spec;

    public JobRoutes(JobSpec spec) {
        this.spec = spec;
    }

    @Override
    public void configure() {
        instance(MirrorRouteTemplates.UPLOAD);
        instance(MirrorRouteTemplates.DELETE);
        instance(MirrorRouteTemplates.RECONCILE);
        if (spec.continuous()) {
            instance(MirrorRouteTemplates.SCAN)
                    .parameter("source", spec.source().toString())
                    .parameter("interval", String.valueOf(spec.interval().toMillis()))
                    .parameter("threads", String.valueOf(spec.threads()));
            templatedRoute(MirrorRouteTemplates.RECONCILE_TIMER)
                    .routeId(MirrorRouteTemplates.routeId(MirrorRouteTemplates.RECONCILE_TIMER, spec.id()))
                    .parameter("jobId", spec.id())
                    .parameter("reconcileInterval", String.valueOf(spec.reconcileInterval().toMillis()));
        }
    }

    private TemplatedRouteDefinition instance(String template) {
        return templatedRoute(template)
                .routeId(MirrorRouteTemplates.routeId(template, spec.id()))
                .parameter("jobId", spec.id())
                .parameter("job", spec.beanName());
    }
}
