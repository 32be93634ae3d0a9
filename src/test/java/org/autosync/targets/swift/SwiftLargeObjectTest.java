package org.autosync.targets.swift;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.autosync.targets.StoredMtime;
import org.autosync.targets.Upload;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replacing a Static Large Object against the real Swift: the upload removes the segments of the manifest it replaced,
 * and only those, so concurrent uploads of one key and versioned containers lose nothing.
 */
@ExtendWith(SwiftCluster.class)
class SwiftLargeObjectTest {

    static final int KIB = 1024;
    static final long SIZE = 2L * 1024 * KIB;
    static final long MTIME = 1_700_000_000_000L;
    static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    Path work;
    String container;
    SwiftActor actor;

    @BeforeEach
    void fresh() {
        SwiftCluster.endpoints();
        container = "slotest" + System.currentTimeMillis() % 100000 + "x" + SEQ.incrementAndGet();
        // 1 MiB threshold, 256 KiB segments: a 2 MiB file is 8 segments (a GET of more than 10 is slowed down to
        // one segment a second by the slo middleware's rate_limit_after_segment)
        actor = new SwiftActor(SwiftTestClient.settings(container).withLargeObjects(1024 * KIB, 256 * KIB));
    }

    private void createContainer(Map<String, String> headers) throws Exception {
        assertThat(SwiftTestClient.request(false, "PUT", container, null, null, headers, new byte[0]).statusCode())
                .isIn(201, 202);
    }

    private Path file(String name, long seed) throws Exception {
        byte[] bytes = new byte[(int) SIZE];
        new Random(seed).nextBytes(bytes);
        return Files.write(work.resolve(name), bytes);
    }

    private static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private Upload upload(String key, Path file, long mtime) {
        return new Upload(key, file, SIZE, mtime, null, Map.of());
    }

    /** The segment names (without container) the object's current manifest references. */
    private List<String> manifestSegments(String key) throws Exception {
        var r = SwiftTestClient.request("GET", container, key, "multipart-manifest=get");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Static-Large-Object")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("true"));
        List<String> names = new ArrayList<>();
        String prefix = "/" + container + "_segments/";
        for (JsonNode segment : SwiftClient.JSON.readTree(r.body())) {
            String name = segment.get("name").asText();
            assertThat(name).startsWith(prefix);
            names.add(name.substring(prefix.length()));
        }
        return names;
    }

    @Test
    void concurrentUploadsOfOneLargeKeyNeverLoseTheWinnersSegments() throws Exception {
        String key = "big key";
        Path a = file("a", 1);
        Path b = file("b", 2);
        String md5a = md5(Files.readAllBytes(a));
        String md5b = md5(Files.readAllBytes(b));
        createContainer(Map.of());
        actor.upload(upload(key, a, MTIME)); // an old manifest to replace

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 6; round++) {
                long mtimeA = MTIME + round * 10_000L;
                long mtimeB = mtimeA + 1000;
                CyclicBarrier start = new CyclicBarrier(2);
                Future<String> fa = pool.submit(() -> {
                    start.await();
                    return actor.upload(upload(key, a, mtimeA));
                });
                Future<String> fb = pool.submit(() -> {
                    start.await();
                    return actor.upload(upload(key, b, mtimeB));
                });
                fa.get(60, TimeUnit.SECONDS); // neither upload fails because the other removed its segments
                fb.get(60, TimeUnit.SECONDS);

                String md5 = md5(SwiftTestClient.get(container, key));
                assertThat(md5).as("round %d: the object reads back whole as one upload's bytes", round).isIn(md5a, md5b);
                String mtime = SwiftTestClient.request("HEAD", container, key, null).headers()
                        .firstValue("X-Object-Meta-" + StoredMtime.KEY).orElseThrow();
                assertThat(mtime).as("round %d: metadata of the same upload as the bytes", round)
                        .isEqualTo(StoredMtime.format(md5.equals(md5a) ? mtimeA : mtimeB));
                assertThat(SwiftTestClient.names(container + "_segments"))
                        .as("round %d: every segment of the final manifest is there", round)
                        .containsAll(manifestSegments(key));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onlyTheSegmentsOfTheReplacedManifestAreRemoved() throws Exception {
        Path a = file("a", 1);
        Path b = file("b", 2);
        createContainer(Map.of());
        actor.upload(upload("big", a, MTIME));
        List<String> old = manifestSegments("big");
        // a segment of the same key that no manifest references yet: another upload in flight
        String inFlight = "big" + SwiftActor.SLO_MARKER + "other-upload/00000000";
        assertThat(SwiftTestClient.request(false, "PUT", container + "_segments", inFlight, null, Map.of(),
                new byte[] {1, 2, 3}).statusCode()).isEqualTo(201);

        actor.upload(upload("big", b, MTIME + 1000));

        List<String> segments = SwiftTestClient.names(container + "_segments");
        assertThat(segments).contains(inFlight).containsAll(manifestSegments("big")).doesNotContainAnyElementsOf(old);
        assertThat(md5(SwiftTestClient.get(container, "big"))).isEqualTo(md5(Files.readAllBytes(b)));
    }

    @Test
    void aVersionedContainerKeepsTheSegmentsOfOldVersions() throws Exception {
        String history = container + "_history";
        assertThat(SwiftTestClient.request("PUT", history, null, null).statusCode()).isIn(201, 202);
        createContainer(Map.of("X-History-Location", history));
        Path a = file("a", 1);
        Path b = file("b", 2);
        actor.upload(upload("big", a, MTIME));
        List<String> first = manifestSegments("big");

        actor.upload(upload("big", b, MTIME + 1000));

        assertThat(SwiftTestClient.names(container + "_segments")).containsAll(first).containsAll(manifestSegments("big"));
        List<String> versions = SwiftTestClient.names(history);
        assertThat(versions).hasSize(1);
        assertThat(md5(SwiftTestClient.get(history, versions.get(0)))).as("the old version still reads back whole")
                .isEqualTo(md5(Files.readAllBytes(a)));
        assertThat(md5(SwiftTestClient.get(container, "big"))).isEqualTo(md5(Files.readAllBytes(b)));
    }

    @Test
    void deletingALargeObjectRemovesOnlyTheSegmentsOfItsManifest() throws Exception {
        createContainer(Map.of());
        actor.upload(upload("big", file("a", 1), MTIME));
        List<String> old = manifestSegments("big");
        String inFlight = "big" + SwiftActor.SLO_MARKER + "other-upload/00000000";
        assertThat(SwiftTestClient.request(false, "PUT", container + "_segments", inFlight, null, Map.of(),
                new byte[] {1, 2, 3}).statusCode()).isEqualTo(201);

        assertThat(actor.delete(List.of("big"))).isEmpty();

        assertThat(SwiftTestClient.names(container)).isEmpty();
        assertThat(SwiftTestClient.names(container + "_segments")).containsExactly(inFlight).doesNotContainAnyElementsOf(old);
    }

    @Test
    void deletingFromAVersionedContainerKeepsTheSegmentsOfTheOldVersion() throws Exception {
        String history = container + "_history";
        assertThat(SwiftTestClient.request("PUT", history, null, null).statusCode()).isIn(201, 202);
        createContainer(Map.of("X-History-Location", history));
        Path a = file("a", 1);
        actor.upload(upload("big", a, MTIME));

        assertThat(actor.delete(List.of("big"))).isEmpty();

        List<String> versions = SwiftTestClient.names(history);
        assertThat(versions).as("the old version, then the delete marker history mode writes").hasSize(2);
        assertThat(md5(SwiftTestClient.get(history, versions.get(0)))).as("the old version still reads back whole")
                .isEqualTo(md5(Files.readAllBytes(a)));
    }
}
