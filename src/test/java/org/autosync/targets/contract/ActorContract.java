package org.autosync.targets.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.autosync.keys.S3KeyOrder;
import org.autosync.targets.Actor;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;
import org.autosync.targets.Upload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Actor} must do, run against a real server per subclass. A subclass names its server,
 * makes sure it runs (or aborts the test with the reason: counted as skipped), builds an actor for a fresh
 * container with a given listing page size, and reads an object back by its own means.
 */
@ExtendWith(ContractSummary.class)
public abstract class ActorContract {

    protected static final long MIB = 1024 * 1024;
    protected static final long MTIME = 1_700_000_000_123L;
    /** Above Swift's test max_file_size (20 MiB) and S3's test multipart threshold: a large object everywhere. */
    protected static final long LARGE = 21 * MIB + 12345;
    private static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    protected Path work;

    protected String container;
    protected Actor actor;

    /** A short name for the summary, e.g. {@code swift (tempauth)}. */
    protected abstract String serverName();

    /** Starts or checks the server; aborts the test via Assumptions when it is unavailable. */
    protected abstract void assumeServer();

    /** An actor on {@code container} that lists at most {@code pageSize} keys per request. */
    protected abstract Actor newActor(String container, int pageSize) throws Exception;

    /** The object's bytes, read without the actor. */
    protected abstract byte[] read(String container, String key) throws Exception;

    @BeforeEach
    void setUpContract() throws Exception {
        assumeServer();
        container = "contract" + System.currentTimeMillis() % 100000 + "x" + SEQ.incrementAndGet();
        actor = newActor(container, 3);
        try (RemoteListing listing = actor.list("")) { // creates the container
            assertThat(listing.hasNext()).isFalse();
        }
    }

    @AfterEach
    void closeActor() {
        if (actor != null) {
            actor.close();
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void listsInS3KeyOrderAcrossManySmallPages() throws Exception {
        List<String> keys = new ArrayList<>(List.of("b", "a/1", "a/2", "a-", "a0", "A", "z", "caf\u00e9", "cafe",
                "\u00e9t\u00e9", "\u65e5\u672c", "m m"));
        Path f = file("k", "k");
        for (String k : keys) {
            actor.upload(upload(k, f));
        }
        keys.sort(S3KeyOrder.INSTANCE);

        List<RemoteObject> listed = new ArrayList<>();
        boolean sorted;
        try (RemoteListing listing = actor.list("")) {
            sorted = listing.alreadySorted();
            listing.forEachRemaining(listed::add);
        }

        // a listing that declares itself sorted must be in S3 key order; one that does not is sorted by Autosync
        if (sorted) {
            assertThat(listed).extracting(RemoteObject::key).containsExactlyElementsOf(keys);
        } else {
            assertThat(listed).extracting(RemoteObject::key).containsExactlyInAnyOrderElementsOf(keys);
        }
        assertThat(listed).allSatisfy(o -> assertThat(o.size()).isEqualTo(1));
        assertThat(listed).allSatisfy(o -> assertThat(o.etag()).isEqualTo(md5("k".getBytes())));
        assertThat(listAll("a/")).extracting(RemoteObject::key).containsExactly("a/1", "a/2");
        assertThat(listAll("nothing")).isEmpty();
    }

    @Test
    void copyKeepsContentAndMtimeForBackups() throws Exception {
        Path f = file("c", "kept as a backup");
        actor.upload(new Upload("dir/c", f, Files.size(f), MTIME, null, Map.of()));

        actor.copy("dir/c", "backup/dir/c");

        assertThat(read(container, "backup/dir/c")).isEqualTo("kept as a backup".getBytes());
        assertThat(actor.storedMtimeMillis("backup/dir/c")).contains(MTIME);
        assertThat(read(container, "dir/c")).isEqualTo("kept as a backup".getBytes());
    }

    @Test
    void uploadOverwriteAndDelete() throws Exception {
        Path f = file("v", "version one");
        String etag1 = actor.upload(new Upload("dir/k", f, Files.size(f), MTIME, "text/plain", Map.of()));
        assertThat(etag1).isEqualTo(md5("version one".getBytes()));
        assertThat(read(container, "dir/k")).isEqualTo("version one".getBytes());

        Files.writeString(f, "version two, longer");
        actor.upload(new Upload("dir/k", f, Files.size(f), MTIME + 5000, null, Map.of()));
        assertThat(read(container, "dir/k")).isEqualTo("version two, longer".getBytes());
        assertThat(actor.storedMtimeMillis("dir/k")).contains(MTIME + 5000);
        assertThat(listAll("")).singleElement().satisfies(o -> {
            assertThat(o.size()).isEqualTo(19);
            assertThat(o.etag()).isEqualTo(md5("version two, longer".getBytes()));
        });

        assertThat(actor.delete(List.of("dir/k"))).isEmpty();
        assertThat(listAll("")).isEmpty();
        assertThat(actor.storedMtimeMillis("dir/k")).isEmpty();
    }

    @Test
    void awkwardNamesSurviveUploadListHeadReadAndDelete() throws Exception {
        List<String> keys = List.of("with space/file name.txt", "plus+sign", "percent%20not-decoded", "hash#tag",
                "question?mark", "amp&ersand=eq", "caf\u00e9/na\u00efve", "\u65e5\u672c\u8a9e", "emoji \ud83e\udd80 crab",
                "semi;colon,comma", "tilde~and'quote");
        Path f = file("x", "x");
        for (String key : keys) {
            actor.upload(upload(key, f));
        }
        assertThat(listAll("")).extracting(RemoteObject::key).containsExactlyInAnyOrderElementsOf(keys);
        for (String key : keys) {
            assertThat(actor.storedMtimeMillis(key)).as(key).contains(MTIME);
            assertThat(read(container, key)).as(key).isEqualTo("x".getBytes());
        }
        assertThat(actor.delete(keys)).isEmpty();
        assertThat(listAll("")).isEmpty();
    }

    @Test
    void emptyFile() throws Exception {
        Path f = file("empty", "");
        String etag = actor.upload(upload("empty", f));

        assertThat(etag).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(read(container, "empty")).isEmpty();
        assertThat(listAll("")).containsExactly(new RemoteObject("empty", 0, etag));
        assertThat(actor.storedMtimeMillis("empty")).contains(MTIME);
    }

    @Test
    void largeFileRoundTripsWithItsMtime() throws Exception {
        Path f = work.resolve("large.bin");
        byte[] chunk = new byte[(int) MIB];
        new Random(42).nextBytes(chunk);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        try (var out = Files.newOutputStream(f)) {
            for (long left = LARGE; left > 0; left -= chunk.length) {
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                md5.update(chunk, 0, n);
            }
        }
        String etag = actor.upload(new Upload("large.bin", f, LARGE, MTIME, null, Map.of()));

        assertThat(etag).isNotBlank();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(read(container, "large.bin"))))
                .isEqualTo(HexFormat.of().formatHex(md5.digest()));
        assertThat(listAll("")).singleElement().satisfies(o -> {
            assertThat(o.key()).isEqualTo("large.bin");
            assertThat(o.size()).isEqualTo(LARGE);
            assertThat(o.etag()).isEqualTo(etag);
        });
        assertThat(actor.storedMtimeMillis("large.bin")).contains(MTIME);
        assertThat(actor.delete(List.of("large.bin"))).isEmpty();
        assertThat(listAll("")).isEmpty();
    }

    @Test
    void mtimeRoundTripsExactlyToTheMillisecond() throws Exception {
        Path f = file("m", "m");
        long[] mtimes = {MTIME, 1_700_000_000_000L, 1_700_000_000_100L, 1L, 0L};
        for (int i = 0; i < mtimes.length; i++) {
            actor.upload(new Upload("m" + i, f, 1, mtimes[i], null, Map.of()));
        }
        for (int i = 0; i < mtimes.length; i++) {
            assertThat(actor.storedMtimeMillis("m" + i)).as("m" + i).contains(mtimes[i]);
        }
        assertThat(actor.storedMtimeMillis("never-uploaded")).isEmpty();
    }

    @Test
    void deletingMissingKeysIsNotAnError() {
        assertThat(actor.delete(List.of("never-existed", "nor/this"))).isEmpty();
        assertThat(actor.delete(List.of())).isEmpty();
    }

    @Test
    void describesWithoutSecrets() {
        assertThat(actor.describe()).contains(container).doesNotContain("testing").doesNotContain("secret");
    }

    // ------------------------------------------------------------------ helpers

    protected Path file(String name, String content) throws IOException {
        Path f = work.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    protected static Upload upload(String key, Path f) throws IOException {
        return new Upload(key, f, Files.size(f), MTIME, null, Map.of());
    }

    /** The listing in S3 key order: as listed when the actor declares it sorted, else sorted as the reconciliation does. */
    protected List<RemoteObject> listAll(String prefix) {
        List<RemoteObject> all = new ArrayList<>();
        try (RemoteListing listing = actor.list(prefix)) {
            listing.forEachRemaining(all::add);
            if (!listing.alreadySorted()) {
                all.sort(java.util.Comparator.comparing(RemoteObject::key, S3KeyOrder.INSTANCE));
            }
        }
        return all;
    }

    protected static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }
}
