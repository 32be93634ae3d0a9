package org.autosync.observe;

import java.util.Map;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.autosync.job.JobHealth;
import org.autosync.job.MirrorJob;

/**
 * The health of one job (id {@code autosync-JOBID}, group {@value #GROUP}). Readiness: DOWN until the job's first
 * reconciliation pass has ended (the initial sync is done), and DOWN with the reason while its deletes are blocked or
 * held back by a safety rail, or while its target is unavailable (TARGET_UNAVAILABLE: its circuit breaker is open).
 * Liveness: DOWN only when the job is stopped or failed.
 */
public final class JobHealthCheck extends AbstractHealthCheck {

    public static final String GROUP = "autosync";

    private final MirrorJob job;

    public JobHealthCheck(MirrorJob job) {
        super(GROUP, "autosync-" + job.id());
        this.job = job;
    }

    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    public boolean isReadiness() {
        return true;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("job", job.id());
        if (!job.isRunAllowed()) {
            builder.message("job " + job.id() + " is not running (stopped, or failed to start)").down();
            return;
        }
        if (options.get(HealthCheck.CHECK_KIND) == HealthCheck.Kind.LIVENESS) {
            builder.up();
            return;
        }
        JobHealth health = job.health();
        builder.detail("status", health.status().name());
        builder.detail("pending.files", job.pendingUploads().count());
        builder.detail("target.available", !job.breaker().holdsBack());
        if (health.status() == JobHealth.Status.STANDBY) {
            builder.message("standby: " + health.reason()).up();
        } else if (!health.isHealthy()) {
            builder.message(health.status() + ": " + health.reason()).detail("since", health.since().toString()).down();
        } else if (!job.firstPassDone()) {
            builder.message("initial sync of " + job.id() + " not done yet").down();
        } else {
            builder.up();
        }
    }
}
