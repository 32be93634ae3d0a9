package org.autosync.routes;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.autosync.reconcile.ChangeDetector;
import org.autosync.state.Fingerprint;

/**
 * The file route's idempotent repository: a {@link Fingerprint} (key, size, mtime) is "contained" when the job's
 * upload rule ({@link ChangeDetector#localChange}) finds the file unchanged since its upload, so an unchanged file
 * is skipped and any edit is picked up. Records are written by the upload route once the target has confirmed the
 * object, never here, so a failed upload is simply tried again on the next poll.
 */
public final class ChangedFilesRepository extends ServiceSupport implements IdempotentRepository {

    private final ChangeDetector changes;

    public ChangedFilesRepository(ChangeDetector changes) {
        this.changes = changes;
    }

    @Override
    public boolean contains(String fingerprint) {
        Fingerprint f = Fingerprint.parse(fingerprint);
        return changes.localChange(f.key(), f.size(), f.mtimeMillis()).isEmpty();
    }

    /** Eager idempotent consumers call this to claim a file: true (process it) unless it is unchanged. */
    @Override
    public boolean add(String fingerprint) {
        return !contains(fingerprint);
    }

    /** A rollback must not forget what the target already holds: records change only after uploads. */
    @Override
    public boolean remove(String fingerprint) {
        return false;
    }

    @Override
    public boolean confirm(String fingerprint) {
        return true;
    }

    @Override
    public void clear() {
        // the sync state is the job's, not the file route's: nothing to forget here
    }
}
