package org.autosync.state.postgres;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.autosync.keys.S3KeyOrder;
import org.autosync.state.SyncRecord;

/**
 * The records of one pass read ahead: the rows from {@code from} to {@code to} (null: to the last row) as the
 * database held them when they were read, kept up to date with this node's own writes. Valid within one pass
 * only, when no other node writes (the other nodes of a job stand by while one is active). Not thread-safe:
 * its {@link PostgresSyncState} guards it.
 */
final class ReadAhead {

    /** PostgreSQL's {@code COLLATE "C"} order of UTF-8 text: code point order (String.compareTo is UTF-16's). */
    static final Comparator<String> KEY_ORDER = S3KeyOrder.INSTANCE;

    private final Thread reader;
    private final TreeMap<String, SyncRecord> rows = new TreeMap<>(KEY_ORDER);
    private String from;
    private String to;

    ReadAhead(Thread reader) {
        this.reader = reader;
    }

    /** Whether {@code key} is read by the thread that reads in order (others do not move the window). */
    boolean readsInOrder() {
        return Thread.currentThread() == reader;
    }

    boolean covers(String key) {
        return from != null && KEY_ORDER.compare(key, from) >= 0 && (to == null || KEY_ORDER.compare(key, to) <= 0);
    }

    Optional<SyncRecord> get(String key) {
        return Optional.ofNullable(rows.get(key));
    }

    /** The window now holds {@code read}, the rows from {@code first} on; {@code complete}: they are all the rest. */
    void moveTo(String first, Map<String, SyncRecord> read, boolean complete) {
        rows.clear();
        rows.putAll(read);
        from = first;
        to = complete || rows.isEmpty() ? null : rows.lastKey();
    }

    void put(String key, SyncRecord record) {
        if (covers(key)) {
            rows.put(key, record);
        }
    }

    void forget(String key) {
        rows.remove(key);
    }
}
