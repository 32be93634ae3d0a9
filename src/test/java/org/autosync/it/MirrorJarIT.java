package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.autosync.testing.CountingBlobStore;
import org.autosync.testing.S3Fixture;
import org.autosync.embedded.EmbeddedS3;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The built jar against a real S3 server (S3Proxy, authentication on) on 127.0.0.1. */
class MirrorJarIT {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @RegisterExtension
    static final S3Fixture fixture = new S3Fixture();
    private static final EmbeddedS3 s3 = fixture.server;
    private static final CountingBlobStore store = fixture.store;
    private static final S3Client client = fixture.client;

    @TempDir
    Path work;
    private Path stateDir;
    private String bucket;



    @BeforeEach
    void freshBucket() throws IOException {
        bucket = "mirror-" + BUCKETS.incrementAndGet();
        stateDir = Files.createDirectories(work.resolve("state"));
    }

    private JarProcess autosync() {
        return new JarProcess().in(work)
                .env("AWS_ACCESS_KEY_ID", s3.accessKey()).env("AWS_SECRET_ACCESS_KEY", s3.secretKey())
                .env("AWS_REGION", s3.region());
    }

    private JarProcess.Result once(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--once", "--endpoint=" + s3.endpoint(),
                "--target_container=" + bucket, "--state_dir=" + stateDir));
        all.addAll(List.of(args));
        return autosync().run(all);
    }

    private Map<String, String> bucketContents() {
        Map<String, String> contents = new TreeMap<>();
        for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            contents.put(o.key(), client.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asString(StandardCharsets.UTF_8));
        }
        return contents;
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private Path tree() throws IOException {
        Path src = work.resolve("src");
        write(src.resolve("a.txt"), "alpha");
        write(src.resolve("dir/b.txt"), "bravo");
        write(src.resolve("dir/deep/c.bin"), "charlie");
        write(src.resolve(".hidden"), "hidden files are mirrored");
        Files.createFile(src.resolve("empty"));
        return src;
    }

    @Test
    void initialSyncUploadsEveryFileAndPrintsSummary() throws Exception {
        Path src = tree();
        JarProcess.Result result = once("--source_prefix=" + work + "/", "src");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("uploaded 5 files / 42 bytes, deleted 0, unchanged 0, failed 0");
        assertThat(bucketContents()).containsExactly(
                Map.entry("src/.hidden", "hidden files are mirrored"), Map.entry("src/a.txt", "alpha"),
                Map.entry("src/dir/b.txt", "bravo"), Map.entry("src/dir/deep/c.bin", "charlie"),
                Map.entry("src/empty", ""));
        HeadObjectResponse head = client.headObject(r -> r.bucket(bucket).key("src/a.txt"));
        long mtimeMillis = Files.getLastModifiedTime(src.resolve("a.txt")).toMillis();
        assertThat(Double.parseDouble(head.metadata().get("mtime"))).isEqualTo(mtimeMillis / 1000.0);
    }

    @Test
    void sameSizeEditWithOlderMtimeIsUploadedAgain() throws Exception {
        Path src = tree();
        assertThat(once("--source_prefix=" + work, "src").exitCode()).isZero();
        Path a = src.resolve("a.txt");
        FileTime before = Files.getLastModifiedTime(a);
        Files.writeString(a, "ALPHA");
        Files.setLastModifiedTime(a, FileTime.fromMillis(before.toMillis() - 3_600_000));

        JarProcess.Result result = once("--source_prefix=" + work, "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("uploaded 1 files / 5 bytes, deleted 0, unchanged 4");
        assertThat(bucketContents()).containsEntry("src/a.txt", "ALPHA");
    }

    @Test
    void addedFilesAreUploadedAndRemovedFilesDeleted() throws Exception {
        Path src = tree();
        assertThat(once("--source_prefix=" + work, "src").exitCode()).isZero();
        write(src.resolve("dir/new.txt"), "new");
        Files.delete(src.resolve("dir/deep/c.bin"));

        JarProcess.Result result = once("--source_prefix=" + work, "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("uploaded 1 files / 3 bytes, deleted 1, unchanged 4");
        assertThat(bucketContents()).containsKey("src/dir/new.txt").doesNotContainKey("src/dir/deep/c.bin");
    }

    @Test
    void filteredOutObjectsAreNeitherUploadedNorDeleted() throws Exception {
        Path src = tree();
        client.createBucket(r -> r.bucket(bucket));
        client.putObject(r -> r.bucket(bucket).key("src/old.log"), RequestBody.fromString("kept"));
        write(src.resolve("skipped.log"), "not mirrored");

        JarProcess.Result result = once("--source_prefix=" + work, "--source_filter=.*\\.txt$", "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(bucketContents()).containsOnlyKeys("src/a.txt", "src/dir/b.txt", "src/old.log");
    }

    @Test
    void objectsOutsideTheSourcesScopeSurvive() throws Exception {
        Path data = work.resolve("var/data");
        write(data.resolve("files/f1"), "one");
        client.createBucket(r -> r.bucket(bucket));
        client.putObject(r -> r.bucket(bucket).key("other/keep"), RequestBody.fromString("x"));
        client.putObject(r -> r.bucket(bucket).key("files2/keep"), RequestBody.fromString("x"));
        client.putObject(r -> r.bucket(bucket).key("files/stale"), RequestBody.fromString("x"));

        JarProcess.Result result = once("--source_prefix=" + data, data.resolve("files").toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(bucketContents()).containsOnlyKeys("files/f1", "other/keep", "files2/keep");
    }

    @Test
    void awkwardNamesRoundTrip() throws Exception {
        Path src = work.resolve("src");
        List<String> names = List.of("with space.txt", "plus+percent%hash#q?amp&.txt", "café/naïve.txt",
                "emoji 🦀.txt", "private\uE000use.txt", "a-c", "a/b", "a0",
                "d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt");
        for (String name : names) {
            write(src.resolve(name), name);
        }

        JarProcess.Result result = once("--source_prefix=" + work + "/", "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Map<String, String> expected = new TreeMap<>();
        names.forEach(n -> expected.put("src/" + n, n));
        assertThat(bucketContents()).isEqualTo(expected);
        JarProcess.Result again = once("--source_prefix=" + work + "/", "src");
        assertThat(again.stdout()).contains("uploaded 0 files / 0 bytes, deleted 0, unchanged " + names.size());
    }

    @Test
    void restartWithNothingChangedOnlyListsTheBucket() throws Exception {
        Path src = work.resolve("src");
        for (int i = 0; i < 2500; i++) {
            write(src.resolve("d" + (i % 10) + "/f" + i), "content " + i);
        }
        assertThat(once("--source_prefix=" + work, "src").exitCode()).isZero();
        store.resetCounts();

        JarProcess.Result result = once("--source_prefix=" + work, "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("uploaded 0 files / 0 bytes, deleted 0, unchanged 2500");
        Map<String, Long> counts = store.requestCounts();
        assertThat(counts.getOrDefault(CountingBlobStore.LIST, 0L)).isBetween(1L, 3L);
        assertThat(counts.getOrDefault(CountingBlobStore.HEAD, 0L)).isZero();
        assertThat(counts.getOrDefault(CountingBlobStore.PUT, 0L)).isZero();
        assertThat(counts.getOrDefault(CountingBlobStore.DELETE, 0L)).isZero();
    }

    @Test
    void firstRunAgainstAFilledBucketAdoptsEqualObjectsWithoutUploading() throws Exception {
        Path src = tree();
        assertThat(once("--source_prefix=" + work, "src").exitCode()).isZero();
        Path freshState = Files.createDirectories(work.resolve("other-state"));
        store.resetCounts();

        JarProcess.Result result = autosync().run("--once", "--endpoint=" + s3.endpoint(),
                "--target_container=" + bucket, "--state_dir=" + freshState, "--source_prefix=" + work, "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("uploaded 0 files / 0 bytes, deleted 0, unchanged 5");
        assertThat(store.requestCounts().getOrDefault(CountingBlobStore.PUT, 0L)).isZero();
    }

    @Test
    void anErrorWhileWalkingTheTreeBlocksDeletesForThatPass() throws Exception {
        Path src = tree();
        assertThat(once("--source_prefix=" + work, "src").exitCode()).isZero();
        Files.delete(src.resolve("dir/b.txt"));
        Files.createSymbolicLink(src.resolve("dir/dangling"), work.resolve("nowhere"));

        JarProcess.Result result = once("--source_prefix=" + work, "src");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).contains("not deleting 1 object(s)");
        assertThat(bucketContents()).containsKey("src/dir/b.txt");
    }

    @Test
    void embeddedS3MirrorsWithoutAnyCloudAccount() throws Exception {
        tree();
        Path store = work.resolve("s3-store");

        JarProcess.Result result = autosync().env("AWS_ACCESS_KEY_ID", null).env("AWS_SECRET_ACCESS_KEY", null)
                .run("--embedded-s3=" + store, "--once", "--state_dir=" + stateDir, "--source_prefix=" + work, "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("embedded S3 server at http://127.0.0.1:", "AWS_ACCESS_KEY_ID=autosync",
                "uploaded 5 files / 42 bytes");
        assertThat(store.resolve("autosync/src/dir/deep/c.bin")).hasContent("charlie");
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        Path src = tree();
        client.createBucket(r -> r.bucket(bucket));
        client.putObject(r -> r.bucket(bucket).key("src/gone.txt"), RequestBody.fromString("x"));

        JarProcess.Result result = once("--dry-run", "--source_prefix=" + work, "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr()).contains("would upload src/a.txt").contains("would delete src/gone.txt");
        assertThat(bucketContents()).containsOnlyKeys("src/gone.txt");
        assertThat(once("--source_prefix=" + work, "src").stdout()).contains("uploaded 5 files");
        assertThat(src).exists();
    }

    @Test
    void largeFileGoesMultipartWithPartsInParallelInASmallHeap() throws Exception {
        Path src = work.resolve("src");
        Path big = Files.createDirectories(src).resolve("big.bin");
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < 100; i++) {
                block[0] = (byte) i;
                out.write(block);
            }
        }
        store.resetCounts();

        JarProcess.Result result = autosync().jvm("-Xmx64m").run("--once", "--endpoint=" + s3.endpoint(),
                "--target_container=" + bucket, "--state_dir=" + stateDir, "--source_prefix=" + work,
                "--multipart_threshold=16M", "--part_size=8M", "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(store.requestCounts().getOrDefault(CountingBlobStore.MULTIPART_PART, 0L)).isEqualTo(13L);
        assertThat(store.maxConcurrentParts()).isGreaterThan(1);
        HeadObjectResponse head = client.headObject(r -> r.bucket(bucket).key("src/big.bin"));
        assertThat(head.contentLength()).isEqualTo(100L << 20);
        assertThat(head.metadata()).containsKey("mtime");
        byte[] first = client.getObjectAsBytes(r -> r.bucket(bucket).key("src/big.bin").range("bytes=0-0")).asByteArray();
        assertThat(first).containsExactly(0);
    }

    @Test
    void originalReadmePrefixExamplesMapAsDocumented() throws Exception {
        Path home = work.resolve("home/adeprince");
        for (String f : List.of("mystuff/1", "mystuff/a/2", "mystuff/a/b/3", "mystuff/c/4")) {
            write(home.resolve(f), f);
        }
        String pwd = home.toString();
        String[][] examples = {
                {"", "", pwd.substring(1) + "/mystuff/"},
                {"--source_prefix=" + work + "/home/", "", "adeprince/mystuff/"},
                {"--source_prefix=" + pwd + "/mystuff/", "", ""},
                {"--source_prefix=" + pwd + "/mystuff", "", ""},
                {"--source_prefix=" + pwd + "/mystuff/", "--target_prefix=/foo/bar/", "foo/bar/"},
        };
        for (String[] example : examples) {
            bucket = "prefix-" + BUCKETS.incrementAndGet();
            List<String> args = new ArrayList<>(List.of("--once", "--endpoint=" + s3.endpoint(),
                    "--target_container=" + bucket, "--state_dir=" + stateDir));
            for (String option : List.of(example[0], example[1])) {
                if (!option.isEmpty()) {
                    args.add(option);
                }
            }
            args.add("mystuff");
            JarProcess.Result result = autosync().in(home).run(args);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            String p = example[2];
            assertThat(bucketContents()).as(String.join(" ", args)).containsOnlyKeys(
                    p + "1", p + "a/2", p + "a/b/3", p + "c/4");
        }
    }

    @Test
    void missingSourceIsAConfigurationError() throws Exception {
        JarProcess.Result result = once(work.resolve("nope").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("does not exist");
    }

    @Test
    void sourceNotUnderTheSourcePrefixIsAConfigurationError() throws Exception {
        Path src = tree();
        JarProcess.Result result = once("--source_prefix=" + work.resolve("elsewhere"), src.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("is not under --source_prefix");
    }

    @Test
    void badRegexIsAConfigurationError() throws Exception {
        JarProcess.Result result = once("--source_filter=([a-z", tree().toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("([a-z");
    }

    @Test
    void invalidBucketNameIsAConfigurationErrorNamingTheRule() throws Exception {
        JarProcess.Result result = autosync().run("--once", "--endpoint=" + s3.endpoint(),
                "--target_container=My_Bucket", tree().toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("invalid bucket name 'My_Bucket'");
    }

    @Test
    void unreachableEndpointIsAConfigurationError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        JarProcess.Result result = autosync().run("--once", "--endpoint=http://127.0.0.1:" + closedPort,
                "--target_container=" + bucket, "--state_dir=" + stateDir, tree().toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.stderr()).contains("cannot reach");
    }

    @Test
    void wrongCredentialsAreAConfigurationError() throws Exception {
        JarProcess.Result result = autosync().env("AWS_SECRET_ACCESS_KEY", "wrong-secret").run("--once",
                "--endpoint=" + s3.endpoint(), "--target_container=" + bucket, "--state_dir=" + stateDir,
                tree().toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.stderr()).contains("credentials");
        assertThat(result.stderr()).doesNotContain("wrong-secret");
    }

    @Test
    void withoutAUtf8LocaleItRefusesToStartAndSaysHow() throws Exception {
        JarProcess.Result result = autosync().env("LC_ALL", null).env("LANG", null).env("LC_CTYPE", null)
                .run("--once", "--target_container=" + bucket, tree().toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("LC_ALL=C.UTF-8");
    }

    @Test
    void helpListsEveryOptionWithDashedAndUnderscoredSpellings() throws Exception {
        JarProcess.Result result = autosync().run("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("--target_container", "--target-container", "--source_filter",
                "--source_prefix", "--target_prefix", "--actor", "--once", "--dry-run", "--threads",
                "--embedded-s3", "--interval", "--reconcile_interval", "Default: ^.*$", "--max_delete",
                "--max-delete", "Default: 50%", "--no-delete", "--backup_prefix", "--backup-prefix");
    }

    @Test
    void dashedSpellingsWorkLikeUnderscored() throws Exception {
        tree();
        JarProcess.Result result = autosync().run("--once", "--endpoint=" + s3.endpoint(),
                "--target-container=" + bucket, "--state-dir=" + stateDir, "--source-prefix=" + work,
                "--target-prefix=pre", "src");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(bucketContents()).containsKey("pre/src/a.txt");
    }

    // ------------------------------------------------------------------ deletion rails

    private Path files(int count) throws IOException {
        Path src = work.resolve("src");
        for (int i = 0; i < count; i++) {
            write(src.resolve(String.format("d%d/f%02d.txt", i % 3, i)), "file " + i);
        }
        return src;
    }

    private static void deleteFiles(Path src, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            Files.delete(src.resolve(String.format("d%d/f%02d.txt", i % 3, i)));
        }
    }

    @Test
    void sourceRootPresentButEmptyDeletesNothingAndExitsThree() throws Exception {
        Path src = files(12);
        assertThat(once("--source_prefix=" + work, "src").exitCode()).isZero();
        // as an unmounted mount point looks: the directory is there, with nothing in it
        Path moved = work.resolve("elsewhere");
        Files.move(src, moved);
        Files.createDirectory(src);

        JarProcess.Result result = once("--source_prefix=" + work, "src");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.stderr()).contains("not deleting 12 object(s)", "has no files to mirror", "--max_delete=100%");
        assertThat(result.stdout()).contains("deleted 0");
        assertThat(bucketContents()).hasSize(12);
    }

    @Test
    void maxDeleteTripsAndNothingIsDeleted() throws Exception {
        Path src = files(30);
        assertThat(once("--source_prefix=" + work, "src").exitCode()).isZero();
        deleteFiles(src, 0, 16);

        JarProcess.Result byDefault = once("--source_prefix=" + work, "src");

        assertThat(byDefault.exitCode()).as(byDefault.toString()).isEqualTo(3);
        assertThat(byDefault.stderr()).contains("not deleting 16 object(s)",
                "16 deletes of 30 objects in scope is more than --max_delete=50% allows (15", "--max_delete=16");
        assertThat(bucketContents()).hasSize(30);

        JarProcess.Result absolute = once("--source_prefix=" + work, "--max-delete=15", "src");

        assertThat(absolute.exitCode()).as(absolute.toString()).isEqualTo(3);
        assertThat(absolute.stderr()).contains("--max_delete=15 allows (15)");
        assertThat(bucketContents()).hasSize(30);
    }

    @Test
    void maxDeleteAllowsDeletesWithinTheLimit() throws Exception {
        Path src = files(30);
        assertThat(once("--source_prefix=" + work, "src").exitCode()).isZero();

        deleteFiles(src, 0, 15);
        JarProcess.Result half = once("--source_prefix=" + work, "src");
        assertThat(half.exitCode()).as(half.toString()).isZero();
        assertThat(half.stdout()).contains("deleted 15,");
        assertThat(bucketContents()).hasSize(15);

        deleteFiles(src, 15, 18);
        JarProcess.Result absolute = once("--source_prefix=" + work, "--max_delete=3", "src");
        assertThat(absolute.exitCode()).as(absolute.toString()).isZero();
        assertThat(absolute.stdout()).contains("deleted 3,");

        deleteFiles(src, 18, 29);
        JarProcess.Result percent = once("--source_prefix=" + work, "--max-delete=95%", "src");
        assertThat(percent.exitCode()).as(percent.toString()).isZero();
        assertThat(percent.stdout()).contains("deleted 11,");
        assertThat(bucketContents()).containsOnlyKeys("src/d2/f29.txt");
    }

    @Test
    void noDeleteMirrorsWithoutDeleting() throws Exception {
        Path src = tree();
        assertThat(once("--source_prefix=" + work, "src").exitCode()).isZero();
        Files.delete(src.resolve("a.txt"));
        write(src.resolve("new.txt"), "new");

        JarProcess.Result dryRun = once("--source_prefix=" + work, "--no-delete", "--dry-run", "src");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.stderr()).contains("would upload src/new.txt", "--no-delete: keeping 1 object(s)")
                .doesNotContain("would delete");

        JarProcess.Result result = once("--source_prefix=" + work, "--no-delete", "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("uploaded 1 files / 3 bytes, deleted 0");
        assertThat(bucketContents()).containsKeys("src/a.txt", "src/new.txt").hasSize(6);
    }

    @Test
    void backupPrefixKeepsACopyOfEveryDeletedObject() throws Exception {
        Path src = tree();
        // keys relative to the source: the job's scope is the whole bucket, backups included
        assertThat(once("--source_prefix=" + src, "src").exitCode()).isZero();
        HeadObjectResponse before = client.headObject(r -> r.bucket(bucket).key("dir/b.txt"));
        Files.delete(src.resolve("a.txt"));
        Files.delete(src.resolve("dir/b.txt"));

        JarProcess.Result result = once("--source_prefix=" + src, "--backup_prefix=trash/", "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("deleted 2,");
        assertThat(bucketContents()).containsOnly(
                Map.entry(".hidden", "hidden files are mirrored"), Map.entry("dir/deep/c.bin", "charlie"),
                Map.entry("empty", ""), Map.entry("trash/a.txt", "alpha"), Map.entry("trash/dir/b.txt", "bravo"));
        HeadObjectResponse copy = client.headObject(r -> r.bucket(bucket).key("trash/dir/b.txt"));
        assertThat(copy.metadata()).containsEntry("mtime", before.metadata().get("mtime"));

        // the backups are in the job's scope, yet never deleted (nor counted) by a later pass
        Files.delete(src.resolve("empty"));
        JarProcess.Result again = once("--source_prefix=" + src, "--backup-prefix=trash", "src");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stdout()).contains("deleted 1,");
        assertThat(bucketContents()).containsKeys("trash/a.txt", "trash/dir/b.txt", "trash/empty")
                .doesNotContainKey("empty");
    }

    @Test
    void tempFilesAreNeitherUploadedNorDeleted() throws Exception {
        Path src = tree();
        write(src.resolve("x.part"), "partial download");
        write(src.resolve("dir/y.tmp"), "temp");
        write(src.resolve(".~lock.z#"), "lock");
        client.createBucket(r -> r.bucket(bucket));
        for (String key : List.of("src/old.part", "src/dir/old.tmp", "src/.~lock.old#")) {
            client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("kept"));
        }

        JarProcess.Result result = once("--source_prefix=" + work, "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(bucketContents()).containsOnlyKeys("src/.hidden", "src/a.txt", "src/dir/b.txt",
                "src/dir/deep/c.bin", "src/empty", "src/old.part", "src/dir/old.tmp", "src/.~lock.old#");

        JarProcess.Result unprotected = once("--source_prefix=" + work, "--exclude_temp=", "src");

        assertThat(unprotected.exitCode()).as(unprotected.toString()).isZero();
        assertThat(bucketContents()).containsOnlyKeys("src/.hidden", "src/a.txt", "src/dir/b.txt",
                "src/dir/deep/c.bin", "src/empty", "src/x.part", "src/dir/y.tmp", "src/.~lock.z#");
    }

    @Test
    void onceWaitsForAFileThatIsStillSettling() throws Exception {
        Path src = tree();
        Path fresh = write(src.resolve("fresh.txt"), "just written");
        store.resetCounts();
        // touch the file until the pass starts: its first request to the server comes right after the
        // walk read the source directory, so the walk sees a file touched at most ~50 ms earlier
        AtomicBoolean touching = new AtomicBoolean(true);
        Thread toucher = new Thread(() -> {
            try {
                while (touching.get() && store.requestCounts().values().stream().allMatch(n -> n == 0)) {
                    Files.setLastModifiedTime(fresh, FileTime.fromMillis(System.currentTimeMillis()));
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "toucher");
        toucher.start();
        JarProcess.Result result;
        try {
            result = once("--source_prefix=" + work, "--settle_time=4s", "src");
        } finally {
            touching.set(false);
            toucher.join();
        }

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("uploaded 6 files / 54 bytes, deleted 0, unchanged 0, failed 0");
        assertThat(bucketContents()).containsEntry("src/fresh.txt", "just written");
    }
}
