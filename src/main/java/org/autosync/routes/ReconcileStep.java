package org.autosync.routes;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.autosync.job.MirrorJob;
import org.autosync.reconcile.Reconciler;

/**
 * The steps of a job's reconcile route (bean {@code <job>-reconcile}): one full pass, and its failure reported
 * in one line. After the first pass the job's re-scan route takes over between passes.
 */
public final class ReconcileStep {

    private final MirrorJob job;
    private final UploadStep uploads;

    ReconcileStep(MirrorJob job, UploadStep uploads) {
        this.job = job;
        this.uploads = uploads;
    }

    public Reconciler.PassResult reconcile(Exchange exchange) throws Exception {
        uploads.retryUnreadable();
        try {
            return job.pass();
        } finally {
            if (job.leading()) {
                startScanRoute(exchange.getContext());
            }
        }
    }

    /**
     * Filter of the reconciliation timer (it ticks every second): whether the job's next pass is due. It also
     * starts the re-scan route once the first pass is done, should that pass have ended while the context was
     * still starting.
     */
    public boolean passDue(Exchange exchange) throws Exception {
        if (job.firstPassDone() && job.leading()) {
            startScanRoute(exchange.getContext());
        }
        return job.passDue();
    }

    /** Failure step of the reconcile route: one line in the target's own terms instead of a stack trace. */
    public void reconcileFailed(Exchange exchange) {
        job.passFailed(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
    }

    /** Starts the job's re-scan route if it has one and it is not running; never while the context is starting. */
    private void startScanRoute(CamelContext context) throws Exception {
        String scanRoute = MirrorRouteTemplates.routeId(MirrorRouteTemplates.SCAN, job.id());
        if (context.isStarted() && context.getRoute(scanRoute) != null
                && !context.getRouteController().getRouteStatus(scanRoute).isStarted()) {
            context.getRouteController().startRoute(scanRoute);
        }
    }
}
