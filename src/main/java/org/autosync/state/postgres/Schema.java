package org.autosync.state.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of every job's sync state in one database, each row under its job's {@code state_id}
 * ({@link org.autosync.state.StateFiles#stateId}). Created when missing, under a transaction-scoped advisory lock:
 * {@code CREATE TABLE IF NOT EXISTS} alone can fail when two nodes run it at the same moment.
 * Keys sort in {@code COLLATE "C"} (code point order), the order the read-ahead of a pass relies on.
 */
final class Schema {

    /** The advisory lock serializing schema changes of autosync (any constant, the same in every version). */
    private static final long LOCK = 0x6175746f73796e63L; // "autosync"

    static final String DDL = """
            CREATE TABLE IF NOT EXISTS autosync_records (
                state_id     text   NOT NULL,
                key          text   COLLATE "C" NOT NULL,
                size         bigint NOT NULL,
                mtime_millis bigint NOT NULL,
                etag         text,
                PRIMARY KEY (state_id, key));
            CREATE TABLE IF NOT EXISTS autosync_multipart_uploads (
                state_id  text NOT NULL,
                upload_id text NOT NULL,
                key       text NOT NULL,
                PRIMARY KEY (state_id, upload_id));
            CREATE TABLE IF NOT EXISTS autosync_multipart_intents (
                state_id text NOT NULL,
                token    text NOT NULL,
                key      text NOT NULL,
                PRIMARY KEY (state_id, token));
            """;

    private Schema() {
    }

    static void create(Connection c) throws SQLException {
        Transaction.run(c, t -> {
            try (Statement s = t.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                s.execute(DDL);
            }
        });
    }
}
