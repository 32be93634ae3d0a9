package org.autosync.routes;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TryDefinition;
import org.autosync.config.ClusterUri;
import org.autosync.config.JobParameters;
import org.autosync.observe.JobObservability;

/**
 * The route templates of one sync job. Every way a file reaches the target (the file route, a
 * reconciliation pass, the watcher) goes through the one upload route, and every delete through
 * the one delete route, so a step added there applies to all of them.
 * <p>
 * {@value #JOB} is the template integrators instantiate: one instance is one whole job, built from its
 * parameters ({@link JobParameters}) by {@link JobTemplate}, which adds the job's other routes. The other
 * templates take {@code jobId} and {@code job}, the registry name of the job's
 * {@link org.autosync.job.MirrorJob} bean, whose steps are the beans {@code <job>-upload}, {@code <job>-delete}
 * and {@code <job>-reconcile}; {@link JobRoutes} instantiates them for each job.
 * <p>
 * The upload route calls {@code direct:autosync-before-upload-JOBID} after the key is mapped and before the
 * upload, if a route consumes it: that is where an integrator adds steps (set {@code Content-Type},
 * {@code CamelAwsS3StorageClass}, {@link AutosyncHeaders#METADATA}, ...).
 */
public class MirrorRouteTemplates extends RouteBuilder {

    public static final String UPLOAD = "autosync-upload";
    public static final String DELETE = "autosync-delete";
    public static final String SCAN = "autosync-scan";
    public static final String RECONCILE = "autosync-reconcile";
    public static final String RECONCILE_TIMER = "autosync-reconcile-timer";
    /** The reconciliation timer of a clustered job, a {@code master:} route: it runs on the job's leader only. */
    public static final String RECONCILE_LEADER = "autosync-reconcile-leader";
    /** One whole job from its parameters; its own route is the job's reconcile route. */
    public static final String JOB = "autosync-job";

    public static String uploadUri(String jobId) {
        return "direct:" + UPLOAD + "-" + jobId;
    }

    public static String deleteUri(String jobId) {
        return "direct:" + DELETE + "-" + jobId;
    }

    public static String reconcileUri(String jobId) {
        return "direct:" + RECONCILE + "-" + jobId;
    }

    /** Where an integrator's route takes each upload of the job before it is sent (see the class comment). */
    public static String beforeUploadUri(String jobId) {
        return "direct:autosync-before-upload-" + jobId;
    }

    public static String routeId(String template, String jobId) {
        return template + "-" + jobId;
    }

    @Override
    public void configure() {
        JobObservability.install(getContext());
        ProcessorDefinition<?> upload = routeTemplate(UPLOAD)
                .templateParameter("jobId").templateParameter("job")
                .from("direct:" + UPLOAD + "-{{jobId}}")
                // a failed upload is never sent again by this route: the actor has retried its requests already
                // (the AWS SDK's retry strategy), and a file that failed is not recorded, so a later re-scan or pass
                // sends it again (a permanent failure: once the file changed, or at the next pass). uploadFailed
                // logs the one line; handled, so no caller's error handler logs it again
                .onException(Exception.class).handled(true).logExhausted(false)
                    .to("bean:{{job}}-upload?method=uploadFailed")
                .end()
                .to("bean:{{job}}-upload?method=mapKey")
                // an integrator's steps, if a route consumes this endpoint; otherwise nothing happens
                .to("direct:autosync-before-upload-{{jobId}}?block=false&failIfNoConsumers=false");
        // the job's breaker (org.autosync.job.TargetBreaker): while the target keeps failing, nothing is sent or
        // recorded. The circuitBreaker EIP bypasses the route's error handler (its failures, CallNotPermittedException
        // included, would leave the route unhandled): the doCatch takes them to the same failure step
        TryDefinition attempt = upload.doTry();
        attempt.circuitBreaker()
                    .resilience4jConfiguration()
                        .circuitBreaker("{{job}}-breaker").throwExceptionWhenHalfOpenOrOpenState(true)
                    .end()
                    .to("bean:{{job}}-upload?method=upload")
                    .to("bean:{{job}}-upload?method=recordUpload")
                .end();
        attempt.doCatch(Exception.class)
                .to("bean:{{job}}-upload?method=uploadFailed")
                .end();

        // the delete safety rails come first: a body of one key or a list of keys; deletes that no
        // reconciliation pass approved count against the sliding-window limit
        routeTemplate(DELETE)
                .templateParameter("jobId").templateParameter("job")
                .from("direct:" + DELETE + "-{{jobId}}")
                .to("bean:{{job}}-delete?method=guardDeletes")
                .to("bean:{{job}}-delete?method=delete");

        // the local re-scan: uploads what is new or changed since it was last uploaded, asking the
        // target nothing when nothing changed (the state is the idempotent repository)
        routeTemplate(SCAN)
                .templateParameter("jobId").templateParameter("job")
                .templateParameter("source").templateParameter("interval", "10000")
                .templateParameter("threads", "16").templateParameter("maxMessagesPerPoll", "10000")
                .from("file:{{source}}?noop=true&recursive=true"
                        + "&autoCreate=false&startingDirectoryMustExist=true&directoryMustExist=true"
                        + "&includeHiddenFiles=true&includeHiddenDirs=true&readLock=none"
                        + "&idempotent=true&idempotentRepository=#{{job}}-changed-files"
                        + "&idempotentKey=RAW(${bean:{{job}}-fingerprint?method=of})&filter=#{{job}}-filter"
                        + "&pollStrategy=#{{job}}-pollStrategy&exceptionHandler=#{{job}}-pollStrategy"
                        + "&delay={{interval}}&initialDelay={{interval}}"
                        + "&maxMessagesPerPoll={{maxMessagesPerPoll}}&eagerMaxMessagesPerPoll=true")
                .autoStartup(false)
                .threads().poolSize("{{threads}}").maxPoolSize("{{threads}}").end()
                .to("direct:" + UPLOAD + "-{{jobId}}");

        reconcileRoute(routeTemplate(RECONCILE).templateParameter("jobId").templateParameter("job"));

        RouteTemplateDefinition job = routeTemplate(JOB)
                .description("One Autosync job: mirrors a directory into S3 or Swift and keeps it mirrored");
        for (JobParameters.Parameter p : JobParameters.PARAMETERS) {
            if (p.name().equals("jobId") || p.name().equals("source")) {
                job.templateParameter(p.name(), null, p.description());
            } else if (p.defaultValue() == null) {
                job.templateOptionalParameter(p.name(), p.description());
            } else {
                job.templateParameter(p.name(), p.defaultValue(), p.description());
            }
        }
        reconcileRoute(job);
        getContext().getCamelContextExtension().getContextPlugin(Model.class)
                .addRouteTemplateDefinitionConverter(JOB, new JobTemplate(getContext()));

        timerRoute(routeTemplate(RECONCILE_TIMER), "");
        // a clustered job: camel-master runs the timer only on the leader of the job's namespace
        // (org.autosync.cluster.JobLeadership makes the rest of the job follow)
        timerRoute(routeTemplate(RECONCILE_LEADER), "master:" + ClusterUri.namespace("{{jobId}}") + ":");
    }

    /**
     * The reconciliation timer. Not timer:?delay=0: a timer consumer added to a running context may fire its first run
     * while it is still starting, skip it as "not allowed", and wait a whole period; a scheduled poll consumer runs the
     * first check at once; the job decides when a pass is due (an interval after the last, sooner after a failure or
     * when deletes wait for one), so the scheduler only asks often.
     */
    private static void timerRoute(RouteTemplateDefinition template, String consumerPrefix) {
        template.templateParameter("jobId").templateParameter("job").templateParameter("checkInterval", "1000")
                .from(consumerPrefix + "scheduler:" + RECONCILE + "-{{jobId}}?initialDelay=0&delay={{checkInterval}}&useFixedDelay=true")
                .filter().method("{{job}}-reconcile", "passDue")
                // the reconcile route reported a failed pass in one line already (reconcileFailed); an onException
                // here would not see it (the reconcile route's error handler had it), so the scheduler would log it
                .doTry()
                    .to("direct:" + RECONCILE + "-{{jobId}}")
                .doCatch(Exception.class)
                .end()
                .end();
    }

    /**
     * A full reconciliation pass, started by the timer, by a one-shot run, or by anyone sending to it. A failed pass is
     * reported in one line by reconcileFailed and left failed for the caller (a one-shot run's exit code); the timer
     * route does not log it again.
     */
    private static void reconcileRoute(RouteTemplateDefinition template) {
        template.from("direct:" + RECONCILE + "-{{jobId}}")
                .onException(Exception.class)
                    .logExhausted(false)
                    .to("bean:{{job}}-reconcile?method=reconcileFailed")
                .end()
                .to("bean:{{job}}-reconcile?method=reconcile");
    }
}
