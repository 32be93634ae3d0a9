package org.autosync.routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
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
        routeTemplate(UPLOAD)
                .templateParameter("jobId").templateParameter("job")
                .templateParameter("retries", "3").templateParameter("retryDelay", "500")
                .from("direct:" + UPLOAD + "-{{jobId}}")
                .onException(Exception.class)
                    .maximumRedeliveries("{{retries}}").redeliveryDelay("{{retryDelay}}")
                    // exponential backoff (500 ms, 1 s, 2 s) with jitter (collision avoidance: +-15% per
                    // delay), on top of the SDK's own retries; a file that still fails is not recorded, so the
                    // next poll or reconciliation pass tries it again
                    .useExponentialBackOff().useCollisionAvoidance()
                    .retryAttemptedLogLevel(LoggingLevel.WARN).logExhausted(false).logStackTrace(false)
                    .to("bean:{{job}}-upload?method=uploadFailed")
                .end()
                .to("bean:{{job}}-upload?method=mapKey")
                // an integrator's steps, if a route consumes this endpoint; otherwise nothing happens
                .to("direct:autosync-before-upload-{{jobId}}?block=false&failIfNoConsumers=false")
                .to("bean:{{job}}-upload?method=upload")
                .to("bean:{{job}}-upload?method=recordUpload");

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

        routeTemplate(RECONCILE_TIMER)
                .templateParameter("jobId").templateParameter("reconcileInterval", "900000")
                // not timer:?delay=0: a timer consumer added to a running context may fire its first run while
                // it is still starting, skip it as "not allowed", and wait a whole period; a scheduled poll
                // consumer runs the first pass at once, and each next one a full interval after the last ended
                .from("scheduler:" + RECONCILE + "-{{jobId}}?initialDelay=0&delay={{reconcileInterval}}&useFixedDelay=true")
                .to("direct:" + RECONCILE + "-{{jobId}}");
    }

    /** A full reconciliation pass, started by the timer, by a one-shot run, or by anyone sending to it. */
    private static void reconcileRoute(RouteTemplateDefinition template) {
        template.from("direct:" + RECONCILE + "-{{jobId}}")
                .onException(Exception.class)
                    .logExhausted(false)
                    .to("bean:{{job}}-reconcile?method=reconcileFailed")
                .end()
                .to("bean:{{job}}-reconcile?method=reconcile");
    }
}
