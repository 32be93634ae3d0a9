package org.autosync.state.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.autosync.state.StateFiles;
import org.autosync.state.StateUnavailableException;
import org.autosync.state.SyncRecord;
import org.autosync.state.SyncState;
import org.autosync.state.SyncStateContract;
import org.autosync.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sync state contract in a real PostgreSQL, and what sharing one database means: nodes of a job share, jobs don't mix. */
class PostgresSyncStateTest extends SyncStateContract<PostgresSyncState> {

    @RegisterExtension
    static final PostgresServer pg = PostgresServer.shared();

    private final String stateId = StateFiles.stateId("http://127.0.0.1:9000", "bucket", "", Path.of("/data/" + UUID.randomUUID()));

    @Override
    protected PostgresSyncState newState() {
        return open(stateId);
    }

    private static PostgresSyncState open(String id) {
        return new PostgresSyncState(PostgresUrl.parse(pg.jdbcUrlWithPassword()), id);
    }

    private static PostgresSyncState started(String id) {
        PostgresSyncState s = open(id);
        s.start();
        return s;
    }

    @Test
    void twoNodesOfTheSameJobSeeEachOthersRecordsAndJournal() {
        PostgresSyncState other = started(stateId);
        try {
            state.put("a.txt", new SyncRecord(1, 2, "e1"));
            assertThat(other.get("a.txt")).contains(new SyncRecord(1, 2, "e1"));

            other.put("a.txt", new SyncRecord(3, 4, "e2"));
            other.started("big.bin", null, "upload-9");
            assertThat(state.get("a.txt")).as("no cached record").contains(new SyncRecord(3, 4, "e2"));
            assertThat(state.pending()).containsExactly(Map.entry("upload-9", "big.bin"));

            other.forget("a.txt");
            assertThat(state.get("a.txt")).isEmpty();
        } finally {
            other.stop();
        }
    }

    @Test
    void aNewPassReadsWhatAnotherNodeWroteAfterThePassBefore() {
        for (int i = 0; i < 10; i++) {
            state.put("k" + i, new SyncRecord(i, 1, null));
        }
        try (SyncState.PassReads reads = state.passReads()) {
            assertThat(state.get("k0")).contains(new SyncRecord(0, 1, null));
        }
        PostgresSyncState other = started(stateId);
        try {
            other.put("k5", new SyncRecord(55, 5, "new"));
            other.forget("k6");
        } finally {
            other.stop();
        }
        try (SyncState.PassReads reads = state.passReads()) {
            assertThat(state.get("k0")).isPresent();
            assertThat(state.get("k5")).contains(new SyncRecord(55, 5, "new"));
            assertThat(state.get("k6")).isEmpty();
        }
    }

    @Test
    void differentJobsInOneDatabaseNeverSeeEachOthersRecords() {
        String otherJob = StateFiles.stateId("http://127.0.0.1:9000", "bucket", "", Path.of("/data/other-" + UUID.randomUUID()));
        PostgresSyncState other = started(otherJob);
        try {
            state.put("same/key", new SyncRecord(1, 1, "mine"));
            other.put("same/key", new SyncRecord(2, 2, "theirs"));
            other.put("only/theirs", new SyncRecord(3, 3, null));
            other.started("x", null, "their-upload");

            assertThat(state.get("same/key")).contains(new SyncRecord(1, 1, "mine"));
            assertThat(state.get("only/theirs")).isEmpty();
            assertThat(state.keysUnder("", null, 10)).containsExactly("same/key");
            assertThat(state.countUnder("")).isEqualTo(1);
            assertThat(state.pending()).isEmpty();

            state.clear();
            assertThat(other.countUnder("")).as("clear is one job's").isEqualTo(2);
        } finally {
            other.clear();
            other.stop();
        }
    }

    @Test
    void tablesAreCreatedOnceWhenManyNodesStartTogether() throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS autosync_records, autosync_multipart_uploads, autosync_multipart_intents");
        }
        state.stop();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<PostgresSyncState>> starts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                starts.add(pool.submit((Callable<PostgresSyncState>) () -> started("node-race-" + UUID.randomUUID())));
            }
            for (Future<PostgresSyncState> f : starts) {
                PostgresSyncState node = f.get();
                node.put("k", new SyncRecord(1, 1, null)); // each one's tables work
                assertThat(node.get("k")).isPresent();
                node.clear();
                node.stop();
            }
        } finally {
            pool.shutdownNow();
        }
        state = newState();
        state.start();
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'autosync_%'")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void wrongPasswordFailsWithAClearMessageThatNeverShowsIt() {
        String secret = "not-the-" + UUID.randomUUID();
        PostgresUrl url = PostgresUrl.parse(pg.jdbcUrl() + "&password=" + secret);
        PostgresSyncState wrong = new PostgresSyncState(url, stateId);
        wrong.start(); // a state that cannot connect does not stop its job from starting
        try {
            assertThatThrownBy(() -> wrong.get("a"))
                    .isInstanceOf(StateUnavailableException.class)
                    .hasMessageContaining("password authentication failed")
                    .hasMessageContaining("127.0.0.1:" + pg.port())
                    .hasMessageNotContaining(secret);
            assertThat(url.toString()).doesNotContain(secret).contains("password=***");
        } finally {
            wrong.stop();
        }
    }

    @Test
    void passwordMayComeFromPgpassword() {
        PostgresSyncState fromEnv = new PostgresSyncState(
                PostgresUrl.parse(pg.jdbcUrl()).withPasswordFrom(Map.of("PGPASSWORD", pg.password())), stateId);
        fromEnv.start();
        try {
            state.put("a", new SyncRecord(1, 1, null));
            assertThat(fromEnv.get("a")).isPresent();
        } finally {
            fromEnv.stop();
        }
    }
}
