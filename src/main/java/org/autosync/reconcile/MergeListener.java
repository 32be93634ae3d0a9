package org.autosync.reconcile;

import org.autosync.local.LocalFile;
import org.autosync.targets.RemoteObject;

/**
 * Receives the outcome of a {@link SortedMerge}, once per key, in key order. Outcomes are provisional until
 * the merge returns: if it throws {@link UnsortedListingException}, some already reported outcomes may be
 * wrong, so deletions must be deferred until then.
 */
public interface MergeListener {

    /** The key exists locally only: a candidate for upload. */
    void onlyLocal(LocalFile local);

    /** The key exists on the target only: a candidate for deletion. */
    void onlyRemote(RemoteObject remote);

    /** The key exists on both sides: compare to decide whether to upload again. */
    void both(LocalFile local, RemoteObject remote);
}
