package org.autosync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.autosync.job.JobSpec;
import org.autosync.job.MirrorJob;
import org.autosync.keys.KeyMapper;
import org.autosync.local.SourceFilter;
import org.autosync.routes.AutosyncJobs;
import org.autosync.routes.MirrorRouteTemplates;
import org.autosync.safety.DeletePolicy;
import org.autosync.state.MvStoreSyncState;
import org.autosync.state.SyncRecord;
import org.autosync.state.SyncState;
import org.autosync.state.postgres.PostgresSyncState;
import org.autosync.state.postgres.PostgresUrl;
import org.autosync.targets.Actor;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;
import org.autosync.targets.Upload;
import org.autosync.watch.WatchMode;

/**
 * What a reconciliation pass over unchanged files costs with each sync state: MVStore, PostgreSQL one round trip per
 * file, and PostgreSQL reading ahead within the pass (see docs/sync-state.md). The pass runs in this JVM against an
 * in-memory target that lists every file as unchanged, so its time is the walk plus the state's reads. PostgreSQL is
 * a private cluster started with the project's {@code .ci/postgres/pg.sh} and removed at the end.
 */
final class StateCost {

    private static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin/postgres");

    private final Report report;
    private final Path work;
    private final Path pgScript;
    private final int reps;

    StateCost(Report report, Path work, Path pgScript, int reps) {
        this.report = report;
        this.work = work;
        this.pgScript = pgScript;
        this.reps = reps;
    }

    void run(int... counts) throws IOException, InterruptedException {
        if (!Files.isExecutable(PG_BIN)) {
            report.other("pass over unchanged files, each sync state", "skipped: no PostgreSQL binaries at " + PG_BIN,
                    "install Debian's postgresql (15)", "none (a measurement)", "n/a");
            return;
        }
        Path pgDir = work.resolve("postgres");
        Thread destroyOnExit = new Thread(() -> { // for a bench stopped with Ctrl-C
            try {
                pgScript("destroy", pgDir);
            } catch (IOException | InterruptedException e) {
                System.err.println("bench: could not stop PostgreSQL, see " + pgDir + ": " + e);
            }
        }, "postgres-destroy");
        Runtime.getRuntime().addShutdownHook(destroyOnExit);
        try {
            Map<String, String> pg;
            try {
                pg = startPostgres(pgDir);
            } catch (IOException e) {
                report.other("pass over unchanged files, each sync state", "skipped: " + e.getMessage(), "",
                        "none (a measurement)", "n/a");
                return;
            }
            String url = "jdbc:postgresql://127.0.0.1:" + pg.get("PG_PORT") + "/" + pg.get("PG_DATABASE") + "?user="
                    + pg.get("PG_USER") + "&password=" + pg.get("PG_PASSWORD");
            for (int files : counts) {
                Path source = tree(files);
                long mvStore = measure("MVStore", source, files, mvStore(source, files));
                row(files, "MVStore", mvStore, null);
                String roundTrips = "PostgreSQL, a round trip per file";
                row(files, roundTrips, measure(roundTrips, source, files, new NoReadAhead(postgres(url, source, files))),
                        mvStore);
                String readAhead = "PostgreSQL, read-ahead within the pass";
                row(files, readAhead, measure(readAhead, source, files, postgres(url, source, files)), mvStore);
            }
        } catch (Exception e) {
            report.failed("state", List.of(e.toString()));
        } finally {
            Runtime.getRuntime().removeShutdownHook(destroyOnExit);
            pgScript("destroy", pgDir);
        }
    }

    private void row(int files, String state, long millis, Long mvStoreMillis) {
        report.other(String.format("pass over %,d unchanged files, sync state: %s", files, state),
                millis < 0 ? "failed" : String.format("%,d ms per pass", millis),
                mvStoreMillis == null || millis < 0 || mvStoreMillis <= 0 ? ""
                        : String.format("MVStore: %,d ms (%.1f×)", mvStoreMillis, (double) millis / mvStoreMillis),
                "none (a measurement)", "n/a");
    }

    /** Median of {@code reps} passes after one to warm up, in milliseconds; -1 when a pass did not find every file unchanged. */
    private long measure(String name, Path source, int files, SyncState state) throws Exception {
        UnchangedActor actor = new UnchangedActor(source);
        JobSpec spec = new JobSpec("cost", source, new KeyMapper(source.toString(), ""), SourceFilter.acceptAll(), false,
                false, 4, false, Duration.ofHours(1), Duration.ofHours(1), DeletePolicy.defaults(), Duration.ZERO,
                WatchMode.POLL);
        MirrorJob job = new MirrorJob(spec, actor, state);
        List<String> problems = new ArrayList<>();
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            AutosyncJobs.add(context, job);
            double[] millis = new double[reps];
            for (int i = 0; i <= reps; i++) {
                long before = job.stats().snapshot().unchanged();
                long t0 = System.nanoTime();
                context.createProducerTemplate().requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);
                long took = (System.nanoTime() - t0) / 1_000_000;
                long unchanged = job.stats().snapshot().unchanged() - before;
                if (unchanged != files) {
                    problems.add(String.format("a pass found %d of %d files unchanged", unchanged, files));
                }
                if (i > 0) {
                    millis[i - 1] = took;
                }
            }
            if (actor.uploads.get() > 0) {
                problems.add(actor.uploads.get() + " uploads");
            }
            report.failed(String.format("sync state %s, %,d files", name, files), problems);
            return problems.isEmpty() ? (long) Report.median(millis) : -1;
        } finally {
            if (state instanceof NoReadAhead wrapped) {
                wrapped.inner.stop();
            }
        }
    }

    private Path tree(int files) throws IOException {
        Path source = Files.createDirectories(work.resolve("trees/state-" + files));
        for (int i = 0; i < files; i++) {
            Path dir = Files.createDirectories(source.resolve(String.format("d%03d", i % 100)));
            Files.writeString(dir.resolve(String.format("f%07d.txt", i)), "x");
        }
        return source;
    }

    /** key to its file's size and mtime, for every file of the tree. */
    private static Map<String, SyncRecord> records(Path source) throws IOException {
        Map<String, SyncRecord> records = new TreeMap<>();
        try (var paths = Files.walk(source)) {
            for (Path f : paths.filter(Files::isRegularFile).toList()) {
                records.put(source.relativize(f).toString(),
                        new SyncRecord(Files.size(f), Files.getLastModifiedTime(f).toMillis(), "etag"));
            }
        }
        return records;
    }

    private MvStoreSyncState mvStore(Path source, int files) throws IOException {
        MvStoreSyncState state = new MvStoreSyncState(
                Files.createDirectories(work.resolve("state")).resolve("cost-" + files + ".mv.db"));
        state.start();
        records(source).forEach(state::put);
        return state;
    }

    /** A PostgreSQL state of its own id holding a record for every file, written in one batch. */
    private static PostgresSyncState postgres(String url, Path source, int files) throws Exception {
        String id = "cost-" + files + "-" + System.nanoTime();
        PostgresSyncState state = new PostgresSyncState(PostgresUrl.parse(url), id);
        state.start(); // creates the tables
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO autosync_records VALUES (?, ?, ?, ?, ?)")) {
                for (Map.Entry<String, SyncRecord> r : records(source).entrySet()) {
                    s.setString(1, id);
                    s.setString(2, r.getKey());
                    s.setLong(3, r.getValue().size());
                    s.setLong(4, r.getValue().mtimeMillis());
                    s.setString(5, r.getValue().etag());
                    s.addBatch();
                }
                s.executeBatch();
            }
            c.commit();
        }
        return state;
    }

    private Map<String, String> startPostgres(Path dir) throws IOException, InterruptedException {
        if (pgScript("start", dir) != 0) {
            List<String> log = Files.readAllLines(dir.resolve("pg.log"));
            throw new IOException("PostgreSQL did not start: " + (log.isEmpty() ? "" : log.get(log.size() - 1))
                    + " (" + dir.resolve("pg.log") + ")");
        }
        Path env = dir.resolve("endpoints.env");
        Map<String, String> values = new TreeMap<>();
        for (String line : Files.readAllLines(env)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /** Runs {@code pg.sh CMD DIR}, its output in DIR/pg.log; its exit code (-1 after 10 minutes). */
    private int pgScript(String cmd, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        // stdout repeats the endpoints with the password: read from DIR/endpoints.env instead, never logged
        Process p = new ProcessBuilder("bash", pgScript.toString(), cmd, dir.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("pg.log").toFile())).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** Every file of the source as an unchanged object; counts uploads, deletes nothing. */
    private static final class UnchangedActor implements Actor {
        final AtomicLong uploads = new AtomicLong();
        private final Map<String, RemoteObject> objects = new TreeMap<>();

        UnchangedActor(Path source) throws IOException {
            records(source).forEach((k, r) -> objects.put(k, new RemoteObject(k, r.size(), r.etag())));
        }

        @Override
        public RemoteListing list(String prefix) {
            return RemoteListing.of(objects.values().iterator(), true);
        }

        @Override
        public String upload(Upload upload) {
            uploads.incrementAndGet();
            return "etag";
        }

        @Override
        public List<DeleteFailure> delete(List<String> keys) {
            throw new IllegalStateException("nothing to delete: " + keys);
        }

        @Override
        public Optional<Long> storedMtimeMillis(String key) {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "in-memory, every file unchanged";
        }
    }

    /** The PostgreSQL state as it would be without {@link SyncState#passReads}: one round trip per get. */
    private static final class NoReadAhead extends ServiceSupport implements SyncState {
        final PostgresSyncState inner;

        NoReadAhead(PostgresSyncState inner) {
            this.inner = inner;
        }

        @Override
        public Optional<SyncRecord> get(String key) {
            return inner.get(key);
        }

        @Override
        public void put(String key, SyncRecord record) {
            inner.put(key, record);
        }

        @Override
        public void forget(String key) {
            inner.forget(key);
        }

        @Override
        public List<String> keysUnder(String prefix, String after, int limit) {
            return inner.keysUnder(prefix, after, limit);
        }

        @Override
        public long countUnder(String prefix) {
            return inner.countUnder(prefix);
        }

        @Override
        public void clear() {
            inner.clear();
        }
    }
}
