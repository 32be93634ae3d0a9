package org.autosync.routes;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.service.ServiceHelper;
import org.autosync.cluster.JobLeadership;
import org.autosync.job.MirrorJob;

/**
 * Jobs in a CamelContext, for code that manages them one by one (a Karaf configuration per job, an admin
 * endpoint): adding one from its {@link org.autosync.config.JobParameters parameters} is instantiating the
 * {@value MirrorRouteTemplates#JOB} template, exactly what a YAML {@code templatedRoute} does.
 */
public final class AutosyncJobs {

    private AutosyncJobs() {
    }

    /** Adds Autosync's route templates to the context, unless it has them. */
    public static void addTemplates(CamelContext context) throws Exception {
        if (model(context).getRouteTemplateDefinition(MirrorRouteTemplates.JOB) == null) {
            context.addRoutes(new MirrorRouteTemplates());
        }
    }

    /**
     * Adds one job (its routes start at once when the context runs).
     *
     * @param parameters the {@value MirrorRouteTemplates#JOB} template's parameters; {@code jobId} is required
     * @return the id of the job's reconcile route
     * @throws IllegalArgumentException naming the parameter at fault
     */
    public static String add(CamelContext context, Map<String, ?> parameters) throws Exception {
        addTemplates(context);
        Object jobId = Objects.requireNonNull(parameters.get("jobId"), "the parameter jobId");
        if (job(context, jobId.toString()) != null) {
            throw new IllegalArgumentException("job " + jobId + " exists already");
        }
        return model(context).addRouteFromTemplate(null, MirrorRouteTemplates.JOB, null, null, Map.copyOf(parameters));
    }

    /**
     * Stops and removes one job: its routes (those made from Autosync's templates for it), then the job itself,
     * which closes its sync state and the actor it owns. Deletes nothing anywhere. Unknown jobs are ignored.
     */
    public static void remove(CamelContext context, String jobId) throws Exception {
        MirrorJob job = job(context, jobId);
        if (job != null) {
            job.stopTakingWork(); // a pass in progress ends quietly instead of failing on the closed actor
        }
        for (RouteDefinition route : List.copyOf(model(context).getRouteDefinitions())) {
            Map<String, Object> params = route.getTemplateParameters();
            if (params != null && jobId.equals(params.get("jobId"))) {
                context.getRouteController().stopRoute(route.getRouteId());
                context.removeRoute(route.getRouteId());
                model(context).removeRouteDefinition(route);
            }
        }
        if (job != null) {
            for (JobLeadership leadership : context.hasServices(JobLeadership.class)) {
                if (leadership.job() == job) {
                    ServiceHelper.stopService(leadership);
                    context.removeService(leadership);
                }
            }
            ServiceHelper.stopService(job);
            context.removeService(job);
            JobRoutes.beanNames(job.spec()).forEach(context.getRegistry()::unbind);
        }
    }

    /**
     * Adds a job built in Java (its own {@link MirrorJob}, e.g. with an actor object) to a running or starting
     * context: its beans, Autosync's route templates (once per context), the job's routes, and the job itself as
     * a service of the context.
     */
    public static void add(CamelContext context, MirrorJob job) throws Exception {
        JobRoutes.addTo(context, job, true);
    }

    /** The job with this id in the context, or null. */
    public static MirrorJob job(CamelContext context, String jobId) {
        return context.getRegistry().lookupByNameAndType("autosync-" + jobId, MirrorJob.class);
    }

    /** Every job in the context, in no particular order. */
    public static List<MirrorJob> jobs(CamelContext context) {
        return List.copyOf(context.getRegistry().findByType(MirrorJob.class));
    }

    private static Model model(CamelContext context) {
        return context.getCamelContextExtension().getContextPlugin(Model.class);
    }
}
