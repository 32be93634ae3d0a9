package org.autosync.routes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.autosync.job.JobSpec;

/**
 * The instances of the {@link MirrorRouteTemplates} one job runs. A one-shot job gets the upload, delete and
 * reconcile routes; a continuous one also the file route and the reconciliation timer. As a RouteBuilder it adds
 * them to any runtime; {@link #instances} lists them for code that adds routes one by one.
 */
public class JobRoutes extends RouteBuilder {

    /** One route of a job: the template it comes from, its route id and its parameters. */
    public record Instance(String template, String routeId, Map<String, String> parameters) {
    }

    private final JobSpec spec;

    public JobRoutes(JobSpec spec) {
        this.spec = spec;
    }

    public static List<Instance> instances(JobSpec spec) {
        List<Instance> routes = new ArrayList<>();
        routes.add(instance(spec, MirrorRouteTemplates.UPLOAD, Map.of()));
        routes.add(instance(spec, MirrorRouteTemplates.DELETE, Map.of()));
        routes.add(instance(spec, MirrorRouteTemplates.RECONCILE, Map.of()));
        if (spec.continuous()) {
            routes.add(instance(spec, MirrorRouteTemplates.SCAN, Map.of("source", spec.source().toString(),
                    "interval", String.valueOf(spec.interval().toMillis()), "threads", String.valueOf(spec.threads()))));
            routes.add(instance(spec, MirrorRouteTemplates.RECONCILE_TIMER,
                    Map.of("reconcileInterval", String.valueOf(spec.reconcileInterval().toMillis()))));
        }
        return routes;
    }

    private static Instance instance(JobSpec spec, String template, Map<String, String> more) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("jobId", spec.id());
        if (!MirrorRouteTemplates.RECONCILE_TIMER.equals(template)) {
            parameters.put("job", spec.beanName());
        }
        parameters.putAll(more);
        return new Instance(template, MirrorRouteTemplates.routeId(template, spec.id()), parameters);
    }

    @Override
    public void configure() {
        for (Instance route : instances(spec)) {
            TemplatedRouteDefinition def = templatedRoute(route.template()).routeId(route.routeId());
            route.parameters().forEach(def::parameter);
        }
    }
}
