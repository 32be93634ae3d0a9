package org.autosync.state;

import java.util.List;
import java.util.Optional;

/**
 * The sync state of one job and target: object key to what was last uploaded there. Records are written once
 * the target has confirmed an upload, and forgotten once it confirmed a delete. A state that cannot be reached throws
 * {@link StateUnavailableException}, never answers "not recorded". An integrator who wants the
 * state in JDBC, Infinispan or elsewhere implements these methods (and Camel's {@code Service} to open and
 * close it with the job).
 */
public interface SyncState {

    Optional<SyncRecord> get(String key);

    void put(String key, SyncRecord record);

    void forget(String key);

    /**
     * The recorded keys that start with {@code prefix}, in ascending order, after {@code after} (null: from
     * the first), at most {@code limit} of them: what a deleted directory held, for a watcher that is told
     * only the directory's path. Page on by passing the last key returned as {@code after}.
     */
    List<String> keysUnder(String prefix, String after, int limit);

    /** How many keys starting with {@code prefix} are recorded: the objects a job knows it holds in its scope. */
    long countUnder(String prefix);

    /** Forgets every record (the next pass compares every file with its object again). */
    void clear();

    /**
     * A reconciliation pass is about to {@link #get} the records of its files in ascending key order, until the
     * returned scope is closed. A state behind a network may read ahead within the scope, never beyond it (another
     * node may write between passes), and throws {@link StateUnavailableException} now if it cannot be read, so a
     * pass never starts on a state it cannot reach.
     */
    default PassReads passReads() {
        return () -> { };
    }

    /** The reads of one pass (see {@link #passReads}); closing it drops whatever was read ahead. */
    interface PassReads extends AutoCloseable {
        @Override
        void close();
    }
}
