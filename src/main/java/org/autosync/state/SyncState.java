package org.autosync.state;

import java.util.List;
import java.util.Optional;

import org.apache.camel.spi.IdempotentRepository;

/**
 * The sync state of one job and target: object key to what was last uploaded there.
 * <p>
 * It is the file consumer's {@link IdempotentRepository}: its keys are {@link Fingerprint}s, and a
 * fingerprint is "contained" when the recorded size and mtime equal the file's, so an unchanged file is
 * skipped and any edit is picked up. Records are written by the upload route once the target has
 * confirmed the object, not by the consumer, so a failed upload is simply retried on the next poll.
 * An integrator who wants the state in JDBC, Infinispan or elsewhere implements the three record
 * methods and {@link #clear()}.
 */
public interface SyncState extends IdempotentRepository {

    Optional<SyncRecord> get(String key);

    void put(String key, SyncRecord record);

    void forget(String key);

    /**
     * The recorded keys that start with {@code prefix}, in ascending order, after {@code after} (null: from
     * the first), at most {@code limit} of them: what a deleted directory held, for a watcher that is told
     * only the directory's path. Page on by passing the last key returned as {@code after}.
     */
    List<String> keysUnder(String prefix, String after, int limit);

    @Override
    default boolean contains(String fingerprint) {
        Fingerprint f = Fingerprint.parse(fingerprint);
        return get(f.key()).map(r -> r.describes(f.size(), f.mtimeMillis())).orElse(false);
    }

    /** Eager idempotent consumers call this to claim a file: true (process it) unless it is unchanged. */
    @Override
    default boolean add(String fingerprint) {
        return !contains(fingerprint);
    }

    /** A rollback must not forget what the target already holds: records change only after uploads. */
    @Override
    default boolean remove(String fingerprint) {
        return false;
    }

    @Override
    default boolean confirm(String fingerprint) {
        return true;
    }
}
