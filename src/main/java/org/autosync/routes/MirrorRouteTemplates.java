package org.autosync.routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The route templates of one sync job. Every way a file reaches the target (the file route, a
 * reconciliation pass, later the watcher) goes through the one upload route, and every delete through
 * the one delete route, so a step added there applies to all of them.
 * <p>
 * Each template takes {@code jobId} and {@code job}, the registry name of the job's
 * {@link org.autosync.job.MirrorJob} bean; {@link JobRoutes} instantiates them for a job.
 */
public class MirrorRouteTemplates extends RouteBuilder {

    public static final String UPLOAD = "autosync-upload";
    public static final String DELETE = "autosync-delete";
    public static final String SCAN = "autosync-scan";
    public static final String RECONCILE = "autosync-reconcile";
    public static final String RECONCILE_TIMER = "autosync-reconcile-timer";

    public static String uploadUri(String jobId) {
        return "direct:" + UPLOAD + "-" + jobId;
    }

    public static String deleteUri(String jobId) {
        return "direct:" + DELETE + "-" + jobId;
    }

    public static String reconcileUri(String jobId) {
        return "direct:" + RECONCILE + "-" + jobId;
    }

    public static String routeId(String template, String jobId) {
        return template + "-" + jobId;
    }

    @Override
    public void configure() {
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
                    .to("bean:{{job}}?method=uploadFailed")
                .end()
                .to("bean:{{job}}?method=mapKey")
                .to("bean:{{job}}?method=upload")
                .to("bean:{{job}}?method=recordUpload");

        // the delete safety rails come first: a body of one key or a list of keys; deletes that no
        // reconciliation pass approved count against the sliding-window limit
        routeTemplate(DELETE)
                .templateParameter("jobId").templateParameter("job")
                .from("direct:" + DELETE + "-{{jobId}}")
                .to("bean:{{job}}?method=guardDeletes")
                .to("bean:{{job}}?method=delete");

        // the local re-scan: uploads what is new or changed since it was last uploaded, asking the
        // target nothing when nothing changed (the state is the idempotent repository)
        routeTemplate(SCAN)
                .templateParameter("jobId").templateParameter("job")
                .templateParameter("source").templateParameter("interval", "10000")
                .templateParameter("threads", "16").templateParameter("maxMessagesPerPoll", "10000")
                .from("file:{{source}}?noop=true&recursive=true"
                        + "&autoCreate=false&startingDirectoryMustExist=true&directoryMustExist=true"
                        + "&includeHiddenFiles=true&includeHiddenDirs=true&readLock=none"
                        + "&idempotent=true&idempotentRepository=#{{job}}-state"
                        + "&idempotentKey=RAW(${bean:{{job}}-fingerprint?method=of})&filter=#{{job}}-filter"
                        + "&pollStrategy=#{{job}}-pollStrategy&exceptionHandler=#{{job}}-pollStrategy"
                        + "&delay={{interval}}&initialDelay={{interval}}"
                        + "&maxMessagesPerPoll={{maxMessagesPerPoll}}&eagerMaxMessagesPerPoll=true")
                .autoStartup(false)
                .threads().poolSize("{{threads}}").maxPoolSize("{{threads}}").end()
                .to("direct:" + UPLOAD + "-{{jobId}}");

        routeTemplate(RECONCILE)
                .templateParameter("jobId").templateParameter("job")
                .from("direct:" + RECONCILE + "-{{jobId}}")
                .onException(Exception.class)
                    .logExhausted(false)
                    .to("bean:{{job}}?method=reconcileFailed")
                .end()
                .to("bean:{{job}}?method=reconcile");

        routeTemplate(RECONCILE_TIMER)
                .templateParameter("jobId").templateParameter("reconcileInterval", "900000")
                // not timer:?delay=0: a timer consumer added to a running context may fire its first run while
                // it is still starting, skip it as "not allowed", and wait a whole period; a scheduled poll
                // consumer runs the first pass at once, and each next one a full interval after the last ended
                .from("scheduler:" + RECONCILE + "-{{jobId}}?initialDelay=0&delay={{reconcileInterval}}&useFixedDelay=true")
                .to("direct:" + RECONCILE + "-{{jobId}}");
    }
}
