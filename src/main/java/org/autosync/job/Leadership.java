package org.autosync.job;

/**
 * Whether this node mirrors a job: always, unless the job is clustered and another node leads it. A clustered
 * node's leadership is a lease renewed by each check of its cluster view, so that a node that was paused sends
 * nothing before the check that notices the pause has run.
 */
final class Leadership {

    private final boolean clustered;
    private volatile boolean claimed;
    private volatile long leaseEnds;

    Leadership(boolean clustered) {
        this.clustered = clustered;
        this.claimed = !clustered;
        this.leaseEnds = clustered ? 0 : Long.MAX_VALUE;
    }

    boolean clustered() {
        return clustered;
    }

    /** Leading and within the lease. */
    boolean held() {
        return claimed && System.currentTimeMillis() < leaseEnds;
    }

    /** Leading as far as the cluster said last, lease or not. */
    boolean claimed() {
        return claimed;
    }

    void leaseUntil(long millis) {
        leaseEnds = millis;
    }

    /** @return whether this changed anything (a clustered standby became the leader) */
    boolean take() {
        if (claimed || !clustered) {
            return false;
        }
        claimed = true;
        return true;
    }

    /** @return whether this node led until now */
    boolean lose() {
        if (!claimed) {
            return false;
        }
        claimed = false;
        return true;
    }
}
