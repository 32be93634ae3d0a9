package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.testing.CountingBlobStore;
import org.autosync.testing.S3Fixture;
import org.autosync.job.JobHealth;
import org.autosync.job.MirrorJob;
import org.autosync.safety.DeletePolicy;
import org.autosync.watch.WatchStarter;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Continuous mode with file-system events, against a real S3 server. The re-scan interval is an hour
 * (unless a test says otherwise), so whatever reaches the bucket after the first pass came through events.
 */
class WatchRoutesTest {

    private static final Duration NO_RESCAN = Duration.ofHours(1);

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;
    private CamelContext context;
    private String bucket;
    private Path source;



    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    private MirrorJob start(Duration settle, Duration interval, WatchStarter starter, int files) throws Exception {
        source = Files.createDirectories(work.resolve("src"));
        for (int i = 0; i < files; i++) {
            write(String.format("d%d/f%02d.txt", i % 4, i), "file " + i);
        }
        bucket = S3Fixture.uniqueBucket("watch");
        MirrorJob job = s3.watchingJob(source, bucket, Files.createDirectories(work.resolve("state")),
                DeletePolicy.defaults(), settle, interval);
        if (starter != null) {
            job.watchStarter(starter);
        }
        context = new DefaultCamelContext();
        context.start();
        AutosyncJobs.add(context, job);
        await().atMost(Duration.ofSeconds(30)).until(() -> keys().size() == files);
        return job;
    }

    private MirrorJob startWatching(int files) throws Exception {
        MirrorJob job = start(Duration.ofMillis(200), NO_RESCAN, null, files);
        awaitWatching(job);
        return job;
    }

    /** The first pass starts the watch; a fallback to polling fails the test with its reason. */
    private static void awaitWatching(MirrorJob job) {
        await().atMost(Duration.ofSeconds(30)).until(() -> job.watching() || job.watchFellBack());
        assertThat(job.watchFellBack()).as("fell back to polling: %s", job.watchFallBackReason()).isFalse();
    }

    private Path write(String name, String content) throws IOException {
        Path file = source.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** The keys in the bucket, from its listing alone. */
    private List<String> keys() {
        if (s3.client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
            return List.of();
        }
        return s3.client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    @Test
    void newFileArrivesWithinSecondsThroughEvents() throws Exception {
        MirrorJob job = startWatching(0);
        write("a/new.txt", "hello");
        await().atMost(Duration.ofSeconds(10)).until(() -> s3.contents(bucket).equals(Map.of("m/a/new.txt", "hello")));
        write("a/new.txt", "hello again");
        await().atMost(Duration.ofSeconds(10)).until(() -> s3.contents(bucket).equals(Map.of("m/a/new.txt", "hello again")));
        assertThat(job.stats().snapshot().uploadedFiles()).isEqualTo(2);
    }

    @Test
    void renamedFileBecomesUploadOfNewKeyAndDeleteOfOld() throws Exception {
        MirrorJob job = startWatching(4);
        Files.move(source.resolve("d1/f01.txt"), source.resolve("d1/renamed.txt"));
        await().atMost(Duration.ofSeconds(10)).until(() -> keys().equals(
                List.of("m/d0/f00.txt", "m/d1/renamed.txt", "m/d2/f02.txt", "m/d3/f03.txt")));
        assertThat(s3.contents(bucket)).containsEntry("m/d1/renamed.txt", "file 1");
        assertThat(job.health().isHealthy()).isTrue();
    }

    @Test
    void deletedFileIsDeletedFromTheTargetThroughEvents() throws Exception {
        MirrorJob job = startWatching(4);
        Files.delete(source.resolve("d2/f02.txt"));
        await().atMost(Duration.ofSeconds(10)).until(() -> keys().equals(List.of("m/d0/f00.txt", "m/d1/f01.txt", "m/d3/f03.txt")));
        // a whole directory: the watcher reports only its path, the state knows what was under it
        Path d3 = source.resolve("d3");
        Files.move(d3, work.resolve("d3-elsewhere"));
        await().atMost(Duration.ofSeconds(10)).until(() -> keys().equals(List.of("m/d0/f00.txt", "m/d1/f01.txt")));
        assertThat(job.stats().snapshot().deleted()).isEqualTo(2);
        assertThat(job.health().isHealthy()).isTrue();
    }

    @Test
    void directoryMovedInWithContentIsUploaded() throws Exception {
        startWatching(0);
        Path outside = Files.createDirectories(work.resolve("outside/tree/sub/deeper"));
        Files.writeString(outside.resolve("x.txt"), "x");
        Files.writeString(outside.getParent().resolve("y.txt"), "y");
        Files.writeString(outside.getParent().getParent().resolve("z.txt"), "z");
        Files.move(work.resolve("outside/tree"), source.resolve("tree"));
        await().atMost(Duration.ofSeconds(10)).until(() -> keys().equals(
                List.of("m/tree/sub/deeper/x.txt", "m/tree/sub/y.txt", "m/tree/z.txt")));
    }

    @Test
    void sourceRootRenamedAwayWhileWatchingDeletesNothingBeyondTheLimit() throws Exception {
        MirrorJob job = startWatching(40);
        s3.store.resetCounts();
        Path away = work.resolve("src-renamed");
        Files.move(source, away);
        // the watch still follows the renamed tree and reports its changes under the old paths:
        // one delete per file, every one of them for a key in the state
        deleteTree(away);
        // the event loop handles the events one by one and ends once no watched directory is left: by then
        // every delete event of the tree went through WatchEvents
        await().atMost(Duration.ofSeconds(20)).until(() -> !job.watching());
        assertThat(job.health().status()).isEqualTo(JobHealth.Status.DELETES_BLOCKED);
        assertThat(job.health().reason()).contains("source root", "gone");
        assertThat(s3.store.requestCounts().get(CountingBlobStore.DELETE)).isZero();
        assertThat(keys()).hasSize(40);
        assertThat(job.stats().snapshot().deleted()).isZero();

        // an empty directory where the root was (an unmounted mount point): a replaced root; the next pass
        // sees it (it uploads the new file) and still deletes nothing: --max_delete holds the 40 back
        Files.createDirectories(source);
        Path late = Files.writeString(source.resolve("late.txt"), "late");
        // settled already (the job waits 200 ms after the last write): the pass uploads it, never leaves it for later
        Files.setLastModifiedTime(late, FileTime.fromMillis(System.currentTimeMillis() - 10_000));
        context.createProducerTemplate().sendBody(MirrorRouteTemplates.reconcileUri(job.id()), null);
        assertThat(keys()).as("the pass ran: late.txt arrived").contains("m/late.txt").hasSize(41);
        assertThat(s3.store.requestCounts().get(CountingBlobStore.DELETE)).isZero();
        assertThat(job.stats().snapshot().deleted()).isZero();
        assertThat(job.health().status()).as("40 deletes of 41 objects in scope").isEqualTo(JobHealth.Status.RAIL_TRIPPED);
        assertThat(job.health().reason()).contains("--max_delete=50%");
    }

    @Test
    void sourceEmptiedWhileWatchingDeletesNothingBeyondTheLimit() throws Exception {
        MirrorJob job = startWatching(40);
        // a pass that knows the 40 objects in scope: the event limit is 50% of them
        context.createProducerTemplate().sendBody(MirrorRouteTemplates.reconcileUri(job.id()), null);
        try (Stream<Path> dirs = Files.list(source)) {
            for (Path dir : dirs.toList()) {
                deleteTree(dir); // rm -rf src/*: a delete event per file while the root stays
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> job.health().status() == JobHealth.Status.RAIL_TRIPPED);
        // the rest of the burst: every file's delete event asks for its key unless it is deleted already, so
        // once as many keys were refused as were not deleted, events after the trip have been handled (batches
        // admitted just before the trip may still be finishing when it trips: the limit is what bounds them)
        await().atMost(Duration.ofSeconds(20)).until(() -> job.refusedDeletes() >= 40 - job.stats().snapshot().deleted());
        long deleted = job.stats().snapshot().deleted();
        assertThat(deleted).as("at most the 50% of 40 the limit allows").isLessThanOrEqualTo(20);
        assertThat(keys()).hasSize(40 - (int) deleted);
        assertThat(job.health().reason()).contains("--max_delete=50%");
    }

    @Test
    void watchLimitReachedFallsBackToPollingInsteadOfStoppingSilently() throws Exception {
        WatchStarter noWatches = (root, listener, executor) -> {
            throw new java.io.UncheckedIOException(new IOException("User limit of inotify watches reached"));
        };
        MirrorJob job = start(Duration.ZERO, Duration.ofMillis(300), noWatches, 1);
        await().atMost(Duration.ofSeconds(10)).until(job::watchFellBack);
        assertThat(job.watching()).isFalse();
        write("polled.txt", "found by the re-scan");
        await().atMost(Duration.ofSeconds(15)).until(() -> keys().contains("m/polled.txt"));
    }

    @Test
    void propagationLatencyOfOneHundredWrites() throws Exception {
        StringBuilder report = new StringBuilder();
        for (long settle : new long[] {200, 500}) {
            if (context != null) {
                context.close();
            }
            work = Files.createDirectories(work.resolve("settle" + settle));
            MirrorJob job = start(Duration.ofMillis(settle), NO_RESCAN, null, 0);
            awaitWatching(job);

            Map<String, Long> written = new ConcurrentHashMap<>();
            Map<String, Long> visible = new HashMap<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        String name = String.format("lat/f%03d.txt", i);
                        write(name, "payload " + i);
                        written.put("m/" + name, System.nanoTime());
                        Thread.sleep(50);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (visible.size() < 100 && System.nanoTime() < deadline) {
                // one listing request per round sees every object that became visible since the last
                Set<String> listed = Set.copyOf(keys());
                long now = System.nanoTime();
                for (String key : listed) {
                    if (!visible.containsKey(key) && written.containsKey(key)) {
                        visible.put(key, now);
                    }
                }
                Thread.sleep(10);
            }
            writer.join();
            assertThat(visible).as("all 100 files arrive").hasSize(100);
            List<Long> millis = new ArrayList<>();
            visible.forEach((k, t) -> millis.add((t - written.get(k)) / 1_000_000));
            millis.sort(Comparator.naturalOrder());
            String line = String.format("propagation latency, settle %d ms, 100 writes 50 ms apart: median %d ms, "
                    + "p99 %d ms, worst %d ms, best %d ms", settle, millis.get(49), millis.get(98), millis.get(99),
                    millis.get(0));
            System.out.println(line);
            report.append(line).append('\n');
        }
        Files.writeString(Path.of("target", "watch-latency.txt"), report);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
