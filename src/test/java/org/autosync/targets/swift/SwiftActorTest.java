package org.autosync.targets.swift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;
import org.autosync.targets.Upload;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Swift-specific behaviour of {@link SwiftActor} against the real Swift (the shared behaviour is in the contract). */
@ExtendWith(SwiftCluster.class)
class SwiftActorTest {

    static final long MIB = 1024 * 1024;
    static final long MTIME = 1_700_000_000_123L;
    static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    Path work;
    String container;

    @BeforeEach
    void fresh() {
        SwiftCluster.endpoints();
        container = "swifttest" + System.currentTimeMillis() % 100000 + "x" + SEQ.incrementAndGet();
    }

    private Path file(String name, long size) throws Exception {
        Path f = work.resolve(name);
        byte[] chunk = new byte[(int) MIB];
        new java.util.Random(size).nextBytes(chunk);
        try (var out = Files.newOutputStream(f)) {
            for (long left = size; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
        return f;
    }

    private static List<RemoteObject> listAll(SwiftActor actor, String prefix) {
        List<RemoteObject> all = new ArrayList<>();
        try (RemoteListing l = actor.list(prefix)) {
            l.forEachRemaining(all::add);
        }
        return all;
    }

    @Test
    void listingFetchesPagesLazilyWithMarkers() throws Exception {
        SwiftActor actor = new SwiftActor(SwiftTestClient.settings(container).withListLimit(2));
        Path f = file("x", 1);
        for (int i = 0; i < 5; i++) {
            actor.upload(new Upload("k" + i, f, 1, MTIME, null, Map.of()));
        }
        try (SwiftListing listing = (SwiftListing) actor.list("")) {
            assertThat(listing.pagesFetched()).isEqualTo(1);
            List<String> keys = new ArrayList<>();
            listing.forEachRemaining(o -> keys.add(o.key()));
            assertThat(keys).containsExactly("k0", "k1", "k2", "k3", "k4");
            assertThat(listing.pagesFetched()).isEqualTo(3); // 2 + 2 + 1: the short page ends it
            assertThat(listing.alreadySorted()).isTrue();
        }
    }

    @Test
    void aRejectedTokenIsRefreshedOnceAndTheRequestRetried() throws Exception {
        SwiftActor actor = new SwiftActor(SwiftTestClient.settings(container));
        assertThat(listAll(actor, "")).isEmpty();
        int logins = actor.client().auth().logins();

        SwiftTestClient.revoke(false, actor.client().auth().session().token());
        Path f = file("x", 1000);
        actor.upload(new Upload("after-401", f, 1000, MTIME, null, Map.of()));

        assertThat(actor.client().auth().logins()).isEqualTo(logins + 1);
        assertThat(SwiftTestClient.names(container)).containsExactly("after-401");
    }

    @Test
    void largeObjectsAreSlosWithSegmentsOutsideTheContainerAndCleanedUp() throws Exception {
        long max = SwiftCluster.endpoints().maxFileSize();
        SwiftActor actor = new SwiftActor(SwiftTestClient.settings(container));
        Path big = file("big", max + 1);
        assertThat(listAll(actor, "")).isEmpty();

        actor.upload(new Upload("big", big, max + 1, MTIME, null, Map.of()));
        assertThat(SwiftTestClient.names(container)).containsExactly("big");
        List<String> first = SwiftTestClient.names(container + "_segments");
        assertThat(first).hasSize(2).allMatch(n -> n.startsWith("big/slo/"));
        assertThat(SwiftTestClient.request("GET", container, "big", "multipart-manifest=get").body().length)
                .isLessThan(2000);

        actor.upload(new Upload("big", big, max + 1, MTIME + 1000, null, Map.of()));
        List<String> second = SwiftTestClient.names(container + "_segments");
        assertThat(second).hasSize(2).doesNotContainAnyElementsOf(first);

        Path small = file("small", 10);
        actor.upload(new Upload("big", small, 10, MTIME, null, Map.of()));
        assertThat(SwiftTestClient.names(container + "_segments")).isEmpty();

        actor.upload(new Upload("big", big, max + 1, MTIME, null, Map.of()));
        assertThat(actor.delete(List.of("big"))).isEmpty();
        assertThat(SwiftTestClient.names(container)).isEmpty();
        assertThat(SwiftTestClient.names(container + "_segments")).isEmpty();
    }

    @Test
    void bulkDeletesManyKeys() throws Exception {
        SwiftActor actor = new SwiftActor(SwiftTestClient.settings(container));
        Path f = file("x", 1);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add("d/" + i + (i % 3 == 0 ? " sp+%" : ""));
            actor.upload(new Upload(keys.get(i), f, 1, MTIME, null, Map.of()));
        }
        List<String> withMissing = new ArrayList<>(keys);
        withMissing.add("missing");
        assertThat(actor.delete(withMissing)).isEmpty();
        assertThat(SwiftTestClient.names(container)).isEmpty();
    }

    @Test
    void aFileChangedAfterHashingIsRejectedByTheServersEtagCheck() throws Exception {
        SwiftActor actor = new SwiftActor(SwiftTestClient.settings(container));
        Path f = file("x", 100);
        assertThat(listAll(actor, "")).isEmpty();
        assertThatThrownBy(() -> actor.upload(new Upload("short", f, 200, MTIME, null, Map.of())))
                .isInstanceOf(org.autosync.targets.FileChangedException.class);
        assertThat(SwiftTestClient.names(container)).isEmpty();
    }

    @Test
    void wrongKeyIsAConfigurationErrorWithAClearMessage() {
        SwiftActor actor = new SwiftActor(SwiftTestClient.settings(container).withKey("wrong"));
        assertThatThrownBy(() -> actor.list("")).satisfies(e -> {
            assertThat(actor.isConfigurationError(e)).isTrue();
            assertThat(actor.explain(e)).startsWith("Swift rejected the credentials of user 'test:tester'")
                    .doesNotContain("wrong");
        });
    }

    @Test
    void unreachableEndpointIsAConfigurationError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SwiftActor actor = new SwiftActor(SwiftSettings.of(URI.create("http://127.0.0.1:" + port + "/auth/v1.0"),
                "a:b", "k", container));
        assertThatThrownBy(() -> actor.list("")).satisfies(e -> {
            assertThat(actor.isConfigurationError(e)).isTrue();
            assertThat(actor.explain(e)).startsWith("cannot reach the Swift endpoint http://127.0.0.1:" + port);
        });
    }

    @Test
    void dryRunLeavesAMissingContainerMissing() throws Exception {
        SwiftActor actor = new SwiftActor(SwiftTestClient.settings(container).withCreateContainerIfMissing(false));
        assertThat(listAll(actor, "")).isEmpty();
        assertThat(SwiftTestClient.request("HEAD", container, null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void settingsNeverShowTheKey() {
        assertThat(SwiftTestClient.settings(container).toString()).doesNotContain("testing").contains("key=***");
    }
}
