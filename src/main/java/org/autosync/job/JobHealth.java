package org.autosync.job;

import java.time.Instant;

/**
 * Whether a job is doing its work, for health checks: after a pass that could not delete on good
 * evidence, or after a safety rail held deletes back, the job is unhealthy until a later reconciliation
 * pass is complete and within limits; while its target is unavailable (circuit breaker open), until the
 * target answers again.
 *
 * @param status what the job is in
 * @param reason one line for a user; empty when healthy
 * @param since  when the job entered this status
 */
public record JobHealth(Status status, String reason, Instant since) {

    public enum Status {
        /** The last pass was complete and within limits (or no pass ran yet). */
        HEALTHY,
        /** The last pass could not delete on good evidence: the source was missing, unreadable or
         *  incompletely walked, or the target listing failed. Nothing was deleted. */
        DELETES_BLOCKED,
        /** A safety rail (--max_delete, empty source, the event-delete limit) held deletes back. */
        RAIL_TRIPPED,
        /** The target kept failing: its circuit breaker is open and uploads are held back (not sent, not recorded)
         *  until a probe upload goes through. Overrides the status of the last pass while it lasts. */
        TARGET_UNAVAILABLE,
        /** A clustered job that another node leads: this node sends nothing and takes over when it becomes the
         *  leader. Nothing is wrong, so it counts as healthy. */
        STANDBY
    }

    public static JobHealth healthy() {
        return new JobHealth(Status.HEALTHY, "", Instant.now());
    }

    public boolean isHealthy() {
        return status == Status.HEALTHY || status == Status.STANDBY;
    }
}
