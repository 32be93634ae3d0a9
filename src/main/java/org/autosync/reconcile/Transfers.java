package org.autosync.reconcile;

import java.util.List;

import org.autosync.local.LocalFile;

/**
 * Where a reconciliation pass sends its actions: in the application, the job's upload and delete
 * routes, so every step an integrator adds there applies to reconciliation too.
 */
public interface Transfers {

    /** Queues one upload; may block while too many are in flight. */
    void upload(LocalFile file, String reason);

    /** Blocks until every upload queued so far has finished (successfully or not). */
    void awaitUploads() throws InterruptedException;

    /** Deletes one batch of keys (at most {@link #DELETE_BATCH} at once) and returns when done. */
    void delete(List<String> keys);

    int DELETE_BATCH = 1000;
}
