package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.autosync.soak.Journal;
import org.autosync.soak.RequestLog;
import org.autosync.state.postgres.PostgresSyncState;
import org.autosync.state.postgres.PostgresUrl;
import org.autosync.testing.PostgresServer;
import org.autosync.testing.ZooKeeperServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * High availability with the sync state in PostgreSQL ({@code --state_url}): two real Autosync processes
 * ({@link TwoNodes}) with {@code --cluster} (a file lock, ZooKeeper) and the same state URL. A standby sends nothing
 * to the target and writes nothing to the shared state (a trigger attributes every write to the state's tables to
 * its node); a new leader starts from its predecessor's records: its first pass sends the listing, the uploads of
 * what changed and the deletes of what was removed, nothing for an unchanged file, and reads no unchanged file (their
 * bytes are changed behind its back with size and mtime kept, which a node that read them would upload). Three
 * takeovers in a row, each timed.
 */
@ExtendWith(ZooKeeperServer.class)
class ClusterStateUrlJarIT {

    @RegisterExtension
    static final PostgresServer pg = PostgresServer.shared();

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    /** The bound for a standby to converge a change after the leader died. */
    private static final Duration TAKEOVER = Duration.ofSeconds(30);
    private static final int FILES = 50;
    private static final int TAKEOVERS = 3;
    /** The tables of the sync state, each with an audit trigger during the test. */
    private static final List<String> TABLES = List.of("autosync_records", "autosync_multipart_uploads",
            "autosync_multipart_intents");
    private static final Set<String> FIRST_PASS_KINDS = Set.of("LIST", "PUT", RequestLog.DELETE, RequestLog.DELETE_REQUEST);

    @TempDir
    Path work;

    @Test
    void aNewLeaderWithThePostgresStateSendsOnlyTheListingAndWhatChangedAndReadsNoUnchangedFileWithAFileLock() throws Exception {
        takeOverThreeTimes("file:" + work.resolve("lock"), "file lock");
    }

    @Test
    void aNewLeaderWithThePostgresStateSendsOnlyTheListingAndWhatChangedAndReadsNoUnchangedFileWithZooKeeper() throws Exception {
        // a path of its own: no candidate of another test's killed node (alive until its session expires) is in it
        takeOverThreeTimes("zookeeper:" + ZooKeeperServer.connectString() + "/state-url-" + System.nanoTime(), "ZooKeeper");
    }

    private void takeOverThreeTimes(String cluster, String service) throws Exception {
        createSchema();
        try (Connection db = pg.connect(); TwoNodes nodes = new TwoNodes(work)) {
            audit(db);
            try {
                nodes.nodeArg(i -> "--state_url=" + pg.jdbcUrlWithPassword() + "&ApplicationName=" + app(i));
                // what the bucket must hold: the source, except the files changed behind the nodes' backs
                Map<String, String> model = new TreeMap<>();
                for (int n = 0; n < FILES; n++) {
                    String key = "d" + n % 5 + "/f" + n + ".txt";
                    nodes.write(key, content(n));
                    model.put(key, content(n));
                }
                nodes.start(0, cluster);
                nodes.start(1, cluster);
                converge(nodes, model, CONVERGE);
                await().atMost(CONVERGE).until(() -> nodes.stderr(0).contains("job1:") && nodes.stderr(1).contains("job1:"));
                int leader = nodes.onlySender();
                String stateId = stateIdOf(db, app(leader));

                for (int round = 0; round < TAKEOVERS; round++) {
                    int standby = 1 - leader;
                    // counted from the standby's start: in the first round it has run since the beginning; then it
                    // is the node killed in the round before, started again
                    int standbyRequests = round == 0 ? 0 : nodes.requests(standby).size();
                    long standbyWrites = round == 0 ? 0 : writesBy(db, app(standby));
                    if (round > 0) {
                        nodes.start(standby, cluster);
                        await().atMost(CONVERGE).until(() -> nodes.stderr(standby).contains("standby until this node leads"));
                    }
                    long leaderWrites = writesBy(db, app(leader));

                    // while it leads, the leader mirrors a change, an addition and a removal, and records them
                    change(nodes, model, pick(model, round, 0), "changed while leading " + round);
                    change(nodes, model, "added/leading-" + round + ".txt", "added while leading " + round);
                    remove(nodes, model, pick(model, round, 1));
                    converge(nodes, model, CONVERGE);
                    awaitRecordsOfTheSource(db, stateId, nodes);
                    assertThat(writesBy(db, app(leader))).as("state writes of the leader").isGreaterThan(leaderWrites);
                    assertThat(nodes.requests(standby)).as("requests of the standby%n%s", nodes.outputs()).hasSize(standbyRequests);
                    assertThat(writesBy(db, app(standby))).as("state writes of the standby%n%s", nodes.outputs())
                            .isEqualTo(standbyWrites);

                    long killAt = nodes.kill(leader);
                    int before = nodes.requests(standby).size();
                    Set<String> uploads = new TreeSet<>();
                    Set<String> deletes = new TreeSet<>();
                    for (int c = 0; c < 2; c++) {
                        String key = pick(model, round, 2 + c);
                        change(nodes, model, key, model.get(key) + " and a longer tail " + round);
                        uploads.add(key);
                    }
                    String sameSize = pick(model, round, 4);
                    change(nodes, model, sameSize, shift(model.get(sameSize))); // same size, new mtime
                    uploads.add(sameSize);
                    for (int a = 0; a < 2; a++) {
                        String key = "added/after-kill-" + round + "-" + a + ".txt";
                        change(nodes, model, key, "added after the kill " + round + " " + a);
                        uploads.add(key);
                    }
                    for (int d = 0; d < 2; d++) {
                        String key = pick(model, round, 5 + d);
                        remove(nodes, model, key);
                        deletes.add(key);
                    }
                    Set<String> unchanged = new TreeSet<>(model.keySet());
                    unchanged.removeAll(uploads);
                    for (String key : unchanged) {
                        changeBehindItsBack(nodes.source.resolve(key));
                    }
                    long editedAt = Journal.nowMicros();

                    converge(nodes, model, TAKEOVER);
                    long convergedAt = Journal.nowMicros();
                    awaitRecordsOfTheSource(db, stateId, nodes);
                    List<RequestLog.Request> sent = new ArrayList<>(nodes.requests(standby).subList(before, nodes.requests(standby).size()));
                    assertThat(sent).as("requests of the new leader").isNotEmpty();
                    assertThat(sent.get(0).startMicros()).as("the new leader's first request came after the edits")
                            .isGreaterThan(editedAt);
                    assertThat(sent).as("requests of the new leader%n%s", nodes.outputs())
                            .allSatisfy(r -> assertThat(r.kind()).isIn(FIRST_PASS_KINDS));
                    assertThat(keysOf(sent, "PUT")).as("uploads of the new leader").containsExactlyElementsOf(uploads);
                    assertThat(keysOf(sent, RequestLog.DELETE)).as("deletes of the new leader").containsExactlyElementsOf(deletes);
                    assertThat(sent).as("requests naming an unchanged file").noneMatch(r -> r.key() != null && unchanged.contains(r.key()));
                    long lists = sent.stream().filter(r -> r.kind().equals("LIST")).count();
                    System.out.printf("[ClusterStateUrlJarIT] %s + PostgreSQL state, takeover %d: leader killed -> "
                                    + "first request of the new leader %d ms, -> converged %d ms; the new leader sent %d LIST, "
                                    + "%d PUT, %d DELETE for %d files (%d unchanged, edited behind its back)%n", service, round + 1,
                            (sent.get(0).startMicros() - killAt) / 1000, (convergedAt - killAt) / 1000, lists,
                            uploads.size(), deletes.size(), model.size(), unchanged.size());
                    assertThat(lists).isPositive();
                    leader = standby;
                }
            } finally {
                dropAudit(db);
            }
        }
    }

    /** 40 bytes: "file N" and lower-case letters that {@link #shift} changes. */
    private static String content(int n) {
        String head = "file " + n + " ";
        return head + "abcdefghijklmnopqrstuvwxyz0123456789abcd".substring(head.length());
    }

    /** The same length, other bytes: each letter the next in the alphabet. */
    private static String shift(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(c >= 'a' && c < 'z' ? (char) (c + 1) : c == 'z' ? 'a' : c);
        }
        return out.toString();
    }

    /** Other bytes with the same size and mtime: only a node that reads the file can tell. */
    private static void changeBehindItsBack(Path file) throws Exception {
        FileTime mtime = Files.getLastModifiedTime(file);
        Files.writeString(file, shift(Files.readString(file)));
        Files.setLastModifiedTime(file, mtime);
    }

    /** A key of the original tree, different for each round and slot, still in the model. */
    private static String pick(Map<String, String> model, int round, int slot) {
        List<String> originals = model.keySet().stream().filter(k -> k.startsWith("d")).toList();
        return originals.get((round * 7 + slot) % originals.size());
    }

    private static void change(TwoNodes nodes, Map<String, String> model, String key, String content) throws Exception {
        nodes.write(key, content);
        model.put(key, content);
    }

    private static void remove(TwoNodes nodes, Map<String, String> model, String key) throws Exception {
        Files.delete(nodes.source.resolve(key));
        model.remove(key);
    }

    private static List<String> keysOf(List<RequestLog.Request> requests, String kind) {
        return requests.stream().filter(r -> r.kind().equals(kind)).map(RequestLog.Request::key).sorted().toList();
    }

    private static void converge(TwoNodes nodes, Map<String, String> model, Duration within) throws Exception {
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> nodes.bucket().equals(model));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Map<String, String> bucket = nodes.bucket();
            Set<String> differ = new TreeSet<>(model.keySet());
            differ.addAll(bucket.keySet());
            differ.removeIf(k -> java.util.Objects.equals(model.get(k), bucket.get(k)));
            throw new AssertionError("not converged within " + within + "; keys that differ: " + differ + "\n"
                    + nodes.outputs(), e);
        }
    }

    private static String app(int node) {
        return "autosync-node-" + node;
    }

    // The state in PostgreSQL, seen by the test

    /** The tables, made the way a node makes them, so that the audit triggers exist before any node writes. */
    private static void createSchema() {
        PostgresSyncState state = new PostgresSyncState(PostgresUrl.parse(pg.jdbcUrlWithPassword()), "schema-only");
        state.start();
        state.stop();
    }

    /** Every insert, update and delete in the state's tables, with the application name of the connection that made it. */
    private static void audit(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS failover_writes (app text, tbl text, op text, state_id text, key text)");
            s.execute("""
                    CREATE OR REPLACE FUNCTION failover_write() RETURNS trigger LANGUAGE plpgsql AS $$
                    DECLARE r record;
                    BEGIN
                        IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
                        INSERT INTO failover_writes VALUES (current_setting('application_name'), TG_TABLE_NAME, TG_OP,
                            r.state_id, r.key);
                        RETURN NULL;
                    END $$""");
            for (String table : TABLES) {
                s.execute("CREATE OR REPLACE TRIGGER failover_audit AFTER INSERT OR UPDATE OR DELETE ON " + table
                        + " FOR EACH ROW EXECUTE FUNCTION failover_write()");
            }
        }
    }

    private static void dropAudit(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            for (String table : TABLES) {
                s.execute("DROP TRIGGER IF EXISTS failover_audit ON " + table);
            }
            s.execute("DROP FUNCTION IF EXISTS failover_write()");
            s.execute("DROP TABLE IF EXISTS failover_writes");
        }
    }

    private static long writesBy(Connection db, String app) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT count(*) FROM failover_writes WHERE app = ?")) {
            s.setString(1, app);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** The one state id the first leader wrote under: the job's rows. */
    private static String stateIdOf(Connection db, String app) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT DISTINCT state_id FROM failover_writes WHERE app = ?")) {
            s.setString(1, app);
            List<String> ids = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
            assertThat(ids).as("state ids written by " + app).hasSize(1);
            return ids.get(0);
        }
    }

    /** Waits until the job's records are exactly the source's files with their sizes and mtimes. */
    private static void awaitRecordsOfTheSource(Connection db, String stateId, TwoNodes nodes) throws Exception {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(records(db, stateId)).as("records of the job").isEqualTo(sizesAndMtimes(nodes.source)));
    }

    private static Map<String, String> records(Connection db, String stateId) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(
                "SELECT key, size, mtime_millis FROM autosync_records WHERE state_id = ?")) {
            s.setString(1, stateId);
            Map<String, String> rows = new TreeMap<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getString(1), r.getLong(2) + " bytes, mtime " + r.getLong(3));
                }
            }
            return rows;
        }
    }

    private static Map<String, String> sizesAndMtimes(Path source) throws Exception {
        Map<String, String> files = new HashMap<>();
        try (var walk = Files.walk(source)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(source.relativize(f).toString(),
                        Files.size(f) + " bytes, mtime " + Files.getLastModifiedTime(f).toMillis());
            }
        }
        return new TreeMap<>(files);
    }
}
