package org.autosync.job;

/**
 * A request to the target refused because this node is not (or no longer) the leader of its clustered job: another
 * node mirrors it now. Not a target failure: it is neither counted against the target nor retried.
 */
public final class NotLeadingException extends IllegalStateException {

    public NotLeadingException(String jobId) {
        super(jobId + ": not the leader of the job's cluster; another node mirrors it");
    }
}
