package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.autosync.job.JobSpec;
import org.autosync.job.MirrorJob;
import org.autosync.keys.KeyMapper;
import org.autosync.local.SourceFilter;
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
import org.autosync.testing.PostgresServer;
import org.autosync.watch.WatchMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reconciliation pass over unchanged files costs with each sync state: MVStore, PostgreSQL one round trip per
 * file, and PostgreSQL reading ahead within the pass. The target is an in-memory actor that lists every file as
 * unchanged, so the pass's time is the walk plus the state's reads. A measurement, not a check of timing: opt-in with
 * {@code -Dautosync.passCost=10000,100000} (file counts); it prints one line per state and count, and checks only
 * that nothing was uploaded and every file was found unchanged.
 */
@EnabledIfSystemProperty(named = "autosync.passCost", matches = "[0-9,]+")
class StatePassCostTest {

    @RegisterExtension
    static final PostgresServer pg = PostgresServer.shared();

    @TempDir
    Path work;

    @Test
    void passOverUnchangedFilesWithEachState() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String count : System.getProperty("autosync.passCost").split(",")) {
            int files = Integer.parseInt(count);
            Path source = tree(files);
            lines.add(measure("MVStore", source, files, mvStore(source, files)));
            lines.add(measure("PostgreSQL, a round trip per file", source, files, new NoReadAhead(postgres(source, files))));
            lines.add(measure("PostgreSQL, read-ahead within the pass", source, files, postgres(source, files)));
        }
        lines.forEach(System.out::println);
    }

    /** Best of three passes (after one to warm up), in milliseconds. */
    private String measure(String name, Path source, int files, SyncState state) throws Exception {
        InMemoryActor actor = new InMemoryActor(source);
        JobSpec spec = new JobSpec("cost", source, new KeyMapper(source.toString(), ""), SourceFilter.acceptAll(), false,
                false, 4, false, Duration.ofHours(1), Duration.ofHours(1), DeletePolicy.defaults(), Duration.ZERO,
                WatchMode.POLL);
        MirrorJob job = new MirrorJob(spec, actor, state);
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            AutosyncJobs.add(context, job);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                long before = job.stats().snapshot().unchanged();
                long t0 = System.nanoTime();
                context.createProducerTemplate().requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(job.stats().snapshot().unchanged() - before).isEqualTo(files);
                if (i > 0) {
                    best = Math.min(best, millis);
                }
            }
            assertThat(actor.uploads.get()).isZero();
            return String.format("%,9d files  %-40s %,7d ms per pass", files, name, best);
        } finally {
            if (state instanceof NoReadAhead wrapped) {
                wrapped.inner.stop();
            }
        }
    }

    private Path tree(int files) throws IOException {
        Path source = Files.createDirectories(work.resolve("src-" + files));
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
        MvStoreSyncState state = new MvStoreSyncState(work.resolve("state-" + files + ".mv.db"));
        state.start();
        records(source).forEach(state::put);
        return state;
    }

    private PostgresSyncState postgres(Path source, int files) throws Exception {
        String id = "cost-" + files + "-" + System.nanoTime();
        try (Connection c = pg.connect()) {
            PostgresSyncState state = new PostgresSyncState(PostgresUrl.parse(pg.jdbcUrlWithPassword()), id);
            state.start(); // creates the tables
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
            return state;
        }
    }

    /** Every file of the source as an unchanged object; counts uploads, deletes nothing. */
    private static final class InMemoryActor implements Actor {
        final AtomicLong uploads = new AtomicLong();
        private final Map<String, RemoteObject> objects = new TreeMap<>();

        InMemoryActor(Path source) throws IOException {
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
            throw new AssertionError("nothing to delete: " + keys);
        }

        @Override
        public Optional<Long> storedMtimeMillis(String key) {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "in-memory";
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
