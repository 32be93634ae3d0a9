package org.autosync.targets.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.autosync.embedded.EmbeddedS3;
import org.autosync.targets.Actor.DeleteFailure;
import org.autosync.targets.FileChangedException;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;
import org.autosync.targets.Upload;
import org.autosync.testing.CountingBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Against a real S3Proxy with authentication on; no mocks. */
class S3ActorTest {

    static final long MIB = 1024 * 1024;
    static final long MTIME = 1_700_000_000_123L;

    @TempDir
    static Path storage;

    static EmbeddedS3 s3;
    static CountingBlobStore store;
    static S3Client client;

    @TempDir
    Path work;

    String bucket;
    S3Actor actor;

    @BeforeAll
    static void startServer() {
        CountingBlobStore.Counted counted = CountingBlobStore.start(EmbeddedS3.builder(storage));
        s3 = counted.server();
        store = counted.store();
        client = S3ClientFactory.create(settings(s3.accessKey(), s3.secretKey(), s3.endpoint()));
    }

    @AfterAll
    static void stopServer() {
        client.close();
        s3.close();
    }

    static S3ClientSettings settings(String accessKey, String secret, URI endpoint) {
        return new S3ClientSettings(endpoint, "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)), 8);
    }

    @BeforeEach
    void newBucket(TestInfo info) {
        String name = info.getTestMethod().orElseThrow().getName().toLowerCase()
                .replaceAll("[^a-z0-9]", "");
        bucket = "b-" + name.substring(0, Math.min(20, name.length())) + "-" + Long.toHexString(System.nanoTime());
        actor = new S3Actor(client, bucket, S3ActorSettings.defaults());
        store.resetCounts();
    }

    @AfterEach
    void closeActor() {
        actor.close();
    }

    // ---------------------------------------------------------------- helpers

    void createBucket() {
        client.createBucket(b -> b.bucket(bucket));
        store.resetCounts();
    }

    void putAll(List<String> keys) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String key : keys) {
                futures.add(pool.submit(() -> client.putObject(b -> b.bucket(bucket).key(key),
                        RequestBody.fromString(key))));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        store.resetCounts();
    }

    List<RemoteObject> listAll(String prefix) {
        List<RemoteObject> result = new ArrayList<>();
        try (RemoteListing listing = actor.list(prefix)) {
            assertThat(listing.alreadySorted()).isTrue();
            listing.forEachRemaining(result::add);
        }
        return result;
    }

    Path file(String name, byte[] content) throws IOException {
        Path f = work.resolve(name);
        Files.write(f, content);
        return f;
    }

    Path randomFile(String name, long size) throws IOException {
        Path f = work.resolve(name);
        Random random = new Random(42);
        byte[] chunk = new byte[(int) MIB];
        try (var out = Files.newOutputStream(f)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
            }
        }
        return f;
    }

    Upload upload(String key, Path file) throws IOException {
        return new Upload(key, file, Files.size(file), MTIME, null, Map.of());
    }

    static String md5(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            md.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    byte[] download(String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    // ---------------------------------------------------------------- listing

    @Test
    void listsAllPagesInKeyOrderWithOneListRequestPerThousandKeys() throws Exception {
        createBucket();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            keys.add(String.format("dir/%05d.txt", i));
        }
        putAll(keys);

        List<RemoteObject> listed = listAll("");

        assertThat(listed).extracting(RemoteObject::key).containsExactlyElementsOf(keys);
        assertThat(listed.get(0).size()).isEqualTo(keys.get(0).length());
        assertThat(listed.get(0).etag()).doesNotContain("\"").hasSize(32);
        assertThat(store.requestCounts()).containsEntry("LIST", 3L).containsEntry("HEAD", 0L)
                .containsEntry("GET", 0L);
    }

    @Test
    void aFailureOnALaterPageEndsTheListingWithThatFailure() throws Exception {
        createBucket();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            keys.add(String.format("dir/%05d.txt", i));
        }
        putAll(keys);
        List<String> listed = new ArrayList<>();

        try (RemoteListing listing = actor.list("")) {
            // the first page is here and the second may be on its way; the third is asked for only once
            // the first is consumed, so it meets a stopped server
            s3.stop();
            assertThatThrownBy(() -> listing.forEachRemaining(o -> listed.add(o.key())))
                    .satisfies(e -> assertThat(S3Failures.explain(e)).isNotBlank());
        } finally {
            s3.restart();
        }

        assertThat(listed).hasSizeGreaterThanOrEqualTo(1000).hasSizeLessThan(keys.size())
                .containsExactlyElementsOf(keys.subList(0, listed.size()));
    }

    @Test
    void listingIsScopedToThePrefix() throws Exception {
        createBucket();
        // not "a" next to "a/1": S3Proxy's filesystem store cannot hold a file and a directory of one name
        putAll(List.of("a/1", "a/2", "ab/3", "b/4", "a-file"));

        assertThat(listAll("a/")).extracting(RemoteObject::key).containsExactly("a/1", "a/2");
        assertThat(listAll("a")).extracting(RemoteObject::key).containsExactly("a-file", "a/1", "a/2", "ab/3");
        assertThat(listAll("zzz")).isEmpty();
    }

    @Test
    void createsAMissingBucketOnFirstListAndListsItEmpty() {
        assertThat(listAll("")).isEmpty();

        assertThat(store.requestCounts()).containsEntry("CREATE_BUCKET", 1L);
        assertThat(client.listBuckets().buckets()).anyMatch(b -> b.name().equals(bucket));
        assertThat(listAll("")).isEmpty();
        assertThat(store.requestCounts()).containsEntry("CREATE_BUCKET", 1L);
    }

    @Test
    void leavesAMissingBucketMissingWhenCreationIsOff() {
        try (S3Actor dryRun = new S3Actor(client, bucket, S3ActorSettings.defaults().withCreateBucketIfMissing(false))) {
            try (RemoteListing listing = dryRun.list("")) {
                assertThat(listing.hasNext()).isFalse();
            }
        }
        assertThat(store.requestCounts()).containsEntry("CREATE_BUCKET", 0L);
        assertThat(client.listBuckets().buckets()).noneMatch(b -> b.name().equals(bucket));
    }

    // ---------------------------------------------------------------- upload

    @Test
    void uploadRoundTripsBytesMtimeMetadataAndContentType() throws Exception {
        createBucket();
        byte[] content = "hello, autosync\n".getBytes();
        Path f = file("hello.txt", content);

        String etag = actor.upload(new Upload("docs/hello.txt", f, content.length, MTIME, "text/plain",
                Map.of("origin", "test")));

        assertThat(download("docs/hello.txt")).isEqualTo(content);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        assertThat(etag).isEqualTo(md5);
        HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key("docs/hello.txt"));
        assertThat(head.metadata()).containsEntry("mtime", "1700000000.123").containsEntry("origin", "test");
        assertThat(head.contentType()).startsWith("text/plain");
        assertThat(actor.storedMtimeMillis("docs/hello.txt")).contains(MTIME);
        assertThat(listAll("docs/")).containsExactly(new RemoteObject("docs/hello.txt", content.length, md5));
        assertThat(store.requestCounts()).containsEntry("MULTIPART", 0L);
    }

    @Test
    void uploadsAnEmptyFile() throws Exception {
        createBucket();
        Path f = file("empty", new byte[0]);

        String etag = actor.upload(upload("empty", f));

        assertThat(etag).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(download("empty")).isEmpty();
        assertThat(listAll("")).containsExactly(new RemoteObject("empty", 0, etag));
        assertThat(actor.storedMtimeMillis("empty")).contains(MTIME);
    }

    @Test
    void handlesAwkwardKeysThroughUploadListHeadAndDelete() throws Exception {
        createBucket();
        List<String> keys = List.of("with space/file name.txt", "plus+sign", "percent%20not-decoded",
                "hash#tag", "question?mark", "amp&ersand=eq", "caf\u00e9/na\u00efve", "\u65e5\u672c\u8a9e",
                "emoji \ud83e\udd80 crab", "semi;colon,comma", "tilde~and'quote");
        // not "a/./b/../c": S3Proxy's filesystem store answers 500 to dot segments
        Path f = file("x", "x".getBytes());
        List<String> failed = new ArrayList<>();
        for (String key : keys) {
            try {
                actor.upload(upload(key, f));
            } catch (Exception e) {
                failed.add(key + " -> " + S3Failures.explain(e));
            }
        }
        assertThat(failed).isEmpty();

        assertThat(listAll("")).extracting(RemoteObject::key).containsExactlyInAnyOrderElementsOf(keys);
        for (String key : keys) {
            assertThat(actor.storedMtimeMillis(key)).as(key).contains(MTIME);
            assertThat(download(key)).as(key).isEqualTo("x".getBytes());
        }
        assertThat(actor.delete(keys)).isEmpty();
        assertThat(listAll("")).isEmpty();
    }

    @Test
    void overwriteReplacesContentAndMtime() throws Exception {
        createBucket();
        Path f = file("v", "version one".getBytes());
        actor.upload(upload("k", f));
        Files.writeString(f, "version two, longer");

        actor.upload(new Upload("k", f, Files.size(f), MTIME + 5_000, null, Map.of()));

        assertThat(new String(download("k"))).isEqualTo("version two, longer");
        assertThat(actor.storedMtimeMillis("k")).contains(MTIME + 5_000);
        assertThat(listAll("")).singleElement().extracting(RemoteObject::size).isEqualTo(19L);
    }

    @Test
    void storedMtimeIsEmptyForAMissingObjectOrOneWithoutMtime() throws Exception {
        createBucket();
        client.putObject(b -> b.bucket(bucket).key("foreign"), RequestBody.fromString("no metadata"));

        assertThat(actor.storedMtimeMillis("missing")).isEmpty();
        assertThat(actor.storedMtimeMillis("foreign")).isEmpty();
        assertThat(store.requestCounts()).containsEntry("HEAD", 2L);
    }

    @Test
    void multipartUploadSendsPartsInParallelKeepsMetadataAndContent() throws Exception {
        createBucket();
        Path f = randomFile("big.bin", 40 * MIB + 12345);
        S3ActorSettings small = S3ActorSettings.defaults().withMultipart(8 * MIB, 5 * MIB).withPartConcurrency(4);
        try (S3Actor mp = new S3Actor(client, bucket, small)) {
            String etag = mp.upload(new Upload("big.bin", f, Files.size(f), MTIME, "application/x-test",
                    Map.of("origin", "multipart")));

            assertThat(etag).doesNotContain("\"").endsWith("-9");
        }
        String expected;
        try (InputStream in = Files.newInputStream(f)) {
            expected = md5(in);
        }
        try (InputStream in = client.getObject(b -> b.bucket(bucket).key("big.bin"))) {
            assertThat(md5(in)).isEqualTo(expected);
        }
        HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key("big.bin"));
        assertThat(head.metadata()).containsEntry("mtime", "1700000000.123").containsEntry("origin", "multipart");
        assertThat(head.contentLength()).isEqualTo(40 * MIB + 12345);
        assertThat(store.requestCounts()).containsEntry("MULTIPART_CREATE", 1L).containsEntry("MULTIPART_PART", 9L)
                .containsEntry("MULTIPART_COMPLETE", 1L).containsEntry("MULTIPART_ABORT", 0L)
                .containsEntry("PUT", 0L);
        assertThat(client.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void multipartOfAFileShorterThanExpectedFailsAndLeavesNoUpload() throws Exception {
        createBucket();
        Path f = randomFile("shrunk.bin", 12 * MIB);
        S3ActorSettings small = S3ActorSettings.defaults().withMultipart(5 * MIB, 5 * MIB).withPartConcurrency(2);
        try (S3Actor mp = new S3Actor(client, bucket, small)) {
            Upload claimed = new Upload("shrunk.bin", f, 20 * MIB, MTIME, null, Map.of());

            assertThatThrownBy(() -> mp.upload(claimed)).isInstanceOf(FileChangedException.class)
                    .hasMessageContaining("shrunk.bin");
        }
        assertThat(client.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        assertThat(store.requestCounts()).containsEntry("MULTIPART_ABORT", 1L).containsEntry("MULTIPART_COMPLETE", 0L);
        assertThat(listAll("")).isEmpty();
    }

    @Test
    void multipartOfAFileThatGrewFailsAndLeavesNoUpload() throws Exception {
        createBucket();
        Path f = randomFile("grown.bin", 12 * MIB);
        S3ActorSettings small = S3ActorSettings.defaults().withMultipart(5 * MIB, 5 * MIB);
        try (S3Actor mp = new S3Actor(client, bucket, small)) {
            Upload claimed = new Upload("grown.bin", f, 11 * MIB, MTIME, null, Map.of());

            assertThatThrownBy(() -> mp.upload(claimed)).isInstanceOf(FileChangedException.class);
        }
        assertThat(client.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        assertThat(listAll("")).isEmpty();
    }

    @Test
    void singlePutOfAFileShorterThanExpectedFailsWithoutAnObject() throws Exception {
        createBucket();
        Path f = file("short", "only ten b".getBytes());

        assertThatThrownBy(() -> actor.upload(new Upload("short", f, 100, MTIME, null, Map.of())))
                .isInstanceOf(FileChangedException.class);
        assertThat(listAll("")).isEmpty();
    }

    @Test
    void partSizeGrowsSoThatNoUploadNeedsMoreThanTenThousandParts() {
        S3ActorSettings settings = S3ActorSettings.defaults();
        assertThat(settings.partSizeFor(100 * MIB)).isEqualTo(16 * MIB);
        long huge = 500L * 1024 * MIB; // 500 GiB
        long part = settings.partSizeFor(huge);
        assertThat((huge + part - 1) / part).isLessThanOrEqualTo(10_000);
        assertThat(part % MIB).isZero();
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deletesInBatchesOfAThousand() throws Exception {
        createBucket();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            keys.add("del/" + i);
        }
        putAll(keys);

        List<DeleteFailure> failures = actor.delete(keys);

        assertThat(failures).isEmpty();
        assertThat(store.requestCounts()).containsEntry("DELETE", 2L);
        assertThat(listAll("")).isEmpty();
    }

    @Test
    void deletingAKeyThatIsAlreadyGoneIsNotAFailure() throws Exception {
        createBucket();
        assertThat(actor.delete(List.of("never-existed"))).isEmpty();
        assertThat(actor.delete(List.of())).isEmpty();
    }

    @Test
    void aFailedDeleteRequestTurnsEveryKeyOfTheBatchIntoAFailure() throws Exception {
        createBucket();
        putAll(List.of("a", "b", "c"));
        // S3Proxy answers DeleteObjects in a missing bucket with success, so provoke a real refusal
        try (S3Actor refused = S3Actor.create(settings(s3.accessKey(), "wrong-secret", s3.endpoint()), bucket,
                S3ActorSettings.defaults())) {
            List<DeleteFailure> failures = refused.delete(List.of("a", "b", "c"));

            assertThat(failures).extracting(DeleteFailure::key).containsExactly("a", "b", "c");
            assertThat(failures).allSatisfy(f -> assertThat(f.reason())
                    .startsWith("the S3 endpoint rejected the credentials (SignatureDoesNotMatch"));
        }
        assertThat(listAll("")).hasSize(3);
    }

    @Test
    void deletesOneThousandAndOneKeysInTwoRequests() throws Exception {
        createBucket();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            keys.add("k" + i);
        }
        putAll(keys);

        assertThat(actor.delete(keys)).isEmpty();
        assertThat(store.requestCounts()).containsEntry("DELETE", 2L);
    }

    // ---------------------------------------------------------------- failures and description

    @Test
    void rejectedCredentialsAreAConfigurationErrorWithAClearMessage() {
        try (S3Actor wrong = S3Actor.create(settings(s3.accessKey(), "wrong-secret", s3.endpoint()), bucket,
                S3ActorSettings.defaults())) {
            assertThatThrownBy(() -> wrong.list("")).satisfies(e -> {
                assertThat(S3Failures.isConfigurationError(e)).isTrue();
                assertThat(S3Failures.explain(e)).startsWith("the S3 endpoint rejected the credentials (SignatureDoesNotMatch");
            });
        }
        try (S3Actor unknown = S3Actor.create(settings("nobody", s3.secretKey(), s3.endpoint()), bucket,
                S3ActorSettings.defaults())) {
            assertThatThrownBy(() -> unknown.list("")).satisfies(e -> {
                assertThat(S3Failures.isConfigurationError(e)).isTrue();
                assertThat(S3Failures.explain(e)).contains("rejected the credentials (InvalidAccessKeyId");
            });
        }
    }

    @Test
    void anUnreachableEndpointIsAConfigurationErrorWithAClearMessage() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + closedPort);
        try (S3Actor unreachable = S3Actor.create(settings("a", "b", endpoint), bucket, S3ActorSettings.defaults())) {
            assertThat(unreachable.describe()).isEqualTo("s3://" + bucket + " at " + endpoint);
            assertThatThrownBy(() -> unreachable.list("")).satisfies(e -> {
                assertThat(S3Failures.isConfigurationError(e)).isTrue();
                assertThat(S3Failures.explain(e)).startsWith("cannot reach the S3 endpoint " + endpoint + ": ");
            });
        }
    }

    @Test
    void transientFailuresAreNotConfigurationErrors() {
        assertThat(S3Failures.isConfigurationError(new java.net.SocketTimeoutException("Read timed out"))).isFalse();
        assertThat(S3Failures.isConfigurationError(new FileChangedException(Path.of("f"), "grew"))).isFalse();
    }

    @Test
    void describesBucketAndEndpointWithoutCredentials() {
        assertThat(actor.describe()).isEqualTo("s3://" + bucket + " at " + s3.endpoint())
                .doesNotContain(s3.secretKey()).doesNotContain(s3.accessKey());
    }

    @Test
    void uploadsInParallelFromManyThreads() throws Exception {
        createBucket();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Path f = file("p" + i, ("payload " + i).getBytes());
                String key = "par/" + i;
                futures.add(pool.submit(() -> {
                    actor.upload(upload(key, f));
                    return done.incrementAndGet();
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(listAll("par/")).hasSize(64);
    }
}
