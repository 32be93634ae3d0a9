package org.autosync.reconcile;

import java.util.List;

import org.autosync.local.LocalFile;

/**
 * Where a job sends its uploads and deletes: in the application, the job's one upload route and one
 * delete route, so every step an integrator adds there applies to reconciliation passes and to
 * file-system events alike.
 */
public interface Transfers {

    /** Queues one upload of a pass; may block while too many are in flight. */
    void upload(LocalFile file, String reason);

    /** Uploads one file in the caller's thread (a file-system event); failures are the upload route's to report. */
    void uploadNow(LocalFile file, String reason);

    /** Blocks until every upload queued so far has finished (successfully or not). */
    void awaitUploads() throws InterruptedException;

    /** Deletes one batch of keys that a pass approved (at most {@link #DELETE_BATCH} at once) and returns when done. */
    void delete(List<String> keys);

    /** Deletes keys whose files were removed (a file-system event): no pass approved them, so the event limit applies. */
    void deleteFromEvents(List<String> keys);

    /** Deletes keys whose content appeared under another name (a rename): not counted against the event limit. */
    void deleteRenamed(List<String> keys);

    int DELETE_BATCH = 1000;

    /** Thrown by a transfer asked for after the job stopped taking work: the pass ends, sending nothing more. */
    final class Stopping extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Stopping() {
            super("shutting down: the pass stopped taking new work");
        }
    }
}
