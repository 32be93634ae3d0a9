package org.autosync.state.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.camel.support.service.ServiceSupport;
import org.autosync.state.StateUnavailableException;
import org.autosync.state.SyncRecord;
import org.autosync.state.SyncState;
import org.autosync.targets.MultipartJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SyncState} and {@link MultipartJournal} in PostgreSQL, so that every node of a job (same target, same
 * source path) works from the same records: a new leader starts from what its predecessor wrote. One database holds
 * any number of jobs, each under its own {@code state_id} ({@link org.autosync.state.StateFiles#stateId}); the
 * tables are created when missing ({@link Schema}).
 * <p>
 * Every call is one round trip on one connection, committed before it returns; nothing is cached across calls,
 * except within a reconciliation pass ({@link #passReads}), which reads the records it will ask for a thousand at
 * a time ({@link ReadAhead}). When the database cannot be reached, calls throw {@link StateUnavailableException}
 * (one WARN per outage); the next call connects again, and an INFO says when it is back.
 */
public final class PostgresSyncState extends ServiceSupport implements SyncState, MultipartJournal {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSyncState.class);
    static final int READ_AHEAD_ROWS = 1000;

    private final PostgresUrl url;
    private final String stateId;
    private Connection connection;
    private boolean unavailable;
    private ReadAhead readAhead;

    public PostgresSyncState(PostgresUrl url, String stateId) {
        this.url = url;
        this.stateId = stateId;
    }

    /** Where the state is, for messages: the URL with its password masked, and the job's state id. */
    public String describe() {
        return "sync state " + stateId + " in " + url;
    }

    /** Connects (creating the tables if missing); a database that is down does not stop the job from starting. */
    @Override
    protected synchronized void doStart() {
        try {
            call(c -> null);
        } catch (StateUnavailableException e) {
            // warned once; the job starts, and its passes fail without deleting until the database is back
        }
    }

    @Override
    protected synchronized void doStop() {
        readAhead = null;
        closeConnection();
    }

    @Override
    public synchronized Optional<SyncRecord> get(String key) {
        if (readAhead != null && (readAhead.covers(key) || readAhead.readsInOrder())) {
            if (!readAhead.covers(key)) {
                readAheadFrom(key);
            }
            return readAhead.get(key);
        }
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT size, mtime_millis, etag FROM autosync_records WHERE state_id = ? AND key = ?")) {
                s.setString(1, stateId);
                s.setString(2, key);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new SyncRecord(r.getLong(1), r.getLong(2), r.getString(3))) : Optional.empty();
                }
            }
        });
    }

    private void readAheadFrom(String key) {
        Map<String, SyncRecord> read = call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT key, size, mtime_millis, etag FROM autosync_records "
                    + "WHERE state_id = ? AND key >= ? ORDER BY key LIMIT " + READ_AHEAD_ROWS)) {
                s.setString(1, stateId);
                s.setString(2, key);
                Map<String, SyncRecord> rows = new LinkedHashMap<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows.put(r.getString(1), new SyncRecord(r.getLong(2), r.getLong(3), r.getString(4)));
                    }
                }
                return rows;
            }
        });
        readAhead.moveTo(key, read, read.size() < READ_AHEAD_ROWS);
    }

    @Override
    public synchronized void put(String key, SyncRecord record) {
        update("INSERT INTO autosync_records (state_id, key, size, mtime_millis, etag) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (state_id, key) DO UPDATE SET size = excluded.size, mtime_millis = excluded.mtime_millis, "
                + "etag = excluded.etag", key, record.size(), record.mtimeMillis(), record.etag());
        if (readAhead != null) {
            readAhead.put(key, record);
        }
    }

    @Override
    public synchronized void forget(String key) {
        update("DELETE FROM autosync_records WHERE state_id = ? AND key = ?", key);
        if (readAhead != null) {
            readAhead.forget(key);
        }
    }

    @Override
    public synchronized List<String> keysUnder(String prefix, String after, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String upper = successor(prefix);
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT key FROM autosync_records WHERE state_id = ? "
                    + "AND key >= ? AND key > ? " + (upper != null ? "AND key < ? " : "") + "ORDER BY key LIMIT ?")) {
                int i = 1;
                s.setString(i++, stateId);
                s.setString(i++, prefix);
                s.setString(i++, after != null ? after : "");
                if (upper != null) {
                    s.setString(i++, upper);
                }
                s.setInt(i, limit);
                List<String> keys = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        keys.add(r.getString(1));
                    }
                }
                return keys;
            }
        });
    }

    @Override
    public synchronized long countUnder(String prefix) {
        String upper = successor(prefix);
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM autosync_records WHERE state_id = ? "
                    + "AND key >= ?" + (upper != null ? " AND key < ?" : ""))) {
                s.setString(1, stateId);
                s.setString(2, prefix);
                if (upper != null) {
                    s.setString(3, upper);
                }
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        });
    }

    @Override
    public synchronized void clear() {
        update("DELETE FROM autosync_records WHERE state_id = ?");
        if (readAhead != null) {
            readAhead.moveTo("", Map.of(), true);
        }
    }

    /** Checks that the database answers (a pass must not start on a state it cannot read), then reads ahead. */
    @Override
    public synchronized PassReads passReads() {
        call(c -> c.isValid(5) ? null : failed("the connection is not valid"));
        ReadAhead mine = new ReadAhead(Thread.currentThread());
        readAhead = mine;
        return () -> {
            synchronized (this) {
                if (readAhead == mine) {
                    readAhead = null;
                }
            }
        };
    }

    // Journal

    @Override
    public synchronized void creating(String key, String token) {
        update("INSERT INTO autosync_multipart_intents (state_id, token, key) VALUES (?, ?, ?) "
                + "ON CONFLICT (state_id, token) DO UPDATE SET key = excluded.key", token, key);
    }

    /** The intent is replaced by the upload id in one transaction. */
    @Override
    public synchronized void started(String key, String token, String uploadId) {
        call(c -> {
            Transaction.run(c, t -> {
                if (token != null) {
                    execute(t, "DELETE FROM autosync_multipart_intents WHERE state_id = ? AND token = ?", token);
                }
                execute(t, "INSERT INTO autosync_multipart_uploads (state_id, upload_id, key) VALUES (?, ?, ?) "
                        + "ON CONFLICT (state_id, upload_id) DO UPDATE SET key = excluded.key", uploadId, key);
            });
            return null;
        });
    }

    @Override
    public synchronized void ended(String key, String uploadId) {
        update("DELETE FROM autosync_multipart_uploads WHERE state_id = ? AND upload_id = ?", uploadId);
    }

    @Override
    public synchronized void notCreated(String key, String token) {
        update("DELETE FROM autosync_multipart_intents WHERE state_id = ? AND token = ?", token);
    }

    @Override
    public synchronized Map<String, String> pending() {
        return pairs("SELECT upload_id, key FROM autosync_multipart_uploads WHERE state_id = ?");
    }

    @Override
    public synchronized Map<String, String> intents() {
        return pairs("SELECT token, key FROM autosync_multipart_intents WHERE state_id = ?");
    }

    // Helpers

    private Map<String, String> pairs(String sql) {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, stateId);
                Map<String, String> pairs = new TreeMap<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        pairs.put(r.getString(1), r.getString(2));
                    }
                }
                return pairs;
            }
        });
    }

    /** Runs one statement whose first parameter is the state id and the others {@code args}. */
    private void update(String sql, Object... args) {
        call(c -> {
            execute(c, sql, args);
            return null;
        });
    }

    private void execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, stateId);
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 2, args[i]);
            }
            s.executeUpdate();
        }
    }

    private interface Call<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code call} on the connection, connecting first if needed; any SQL failure is the state's unavailability. */
    private <T> T call(Call<T> call) {
        try {
            if (connection == null) {
                connection = connect();
                if (unavailable) {
                    unavailable = false;
                    LOG.info("{} is reachable again", describe());
                }
            }
            return call.run(connection);
        } catch (SQLException e) {
            closeConnection();
            String reason = String.valueOf(PostgresUrl.mask(e.getMessage())).strip();
            String why = describe() + " is unavailable: " + (reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason);
            if (!unavailable) {
                unavailable = true;
                LOG.warn("{}; until it is back, passes fail, nothing is deleted and no upload is recorded", why);
            } else {
                LOG.debug("{}", why);
            }
            // not the cause: what a target's explain() finds in a cause chain (a ConnectException) is not the target's
            StateUnavailableException failure = new StateUnavailableException(why);
            failure.addSuppressed(e);
            throw failure;
        }
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url.jdbcUrl(), url.connectionProperties());
        try {
            Schema.create(c);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the connection to {} failed", url, e);
            }
            connection = null;
        }
    }

    private static <T> T failed(String why) throws SQLException {
        throw new SQLException(why, "08006");
    }

    /**
     * The least string greater than every string starting with {@code prefix} in code point order, or null when
     * there is none (an empty prefix): the exclusive upper bound of a prefix range.
     */
    static String successor(String prefix) {
        String p = prefix;
        while (!p.isEmpty()) {
            int last = p.codePointBefore(p.length());
            String head = p.substring(0, p.length() - Character.charCount(last));
            if (last < Character.MAX_CODE_POINT) {
                int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
                return head + new String(Character.toChars(next));
            }
            p = head;
        }
        return null;
    }
}
