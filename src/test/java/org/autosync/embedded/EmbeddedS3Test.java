package org.autosync.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.autosync.targets.s3.S3ClientFactory;
import org.autosync.targets.s3.S3ClientSettings;
import org.autosync.testing.CountingBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

class EmbeddedS3Test {

    @TempDir
    Path storage;

    EmbeddedS3 s3;
    CountingBlobStore store;

    @BeforeEach
    void start() {
        CountingBlobStore.Counted counted = CountingBlobStore.start(
                EmbeddedS3.builder(storage).accessKey("tester").secretKey("s3cr3t-for-tests"));
        s3 = counted.server();
        store = counted.store();
    }

    @AfterEach
    void stop() {
        s3.close();
    }

    private S3Client client(String accessKey, String secretKey) {
        return S3ClientFactory.create(new S3ClientSettings(s3.endpoint(), s3.region(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)), 2));
    }

    @Test
    void listensOnLoopbackWithTheChosenCredentials() {
        assertThat(s3.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(s3.port()).isPositive();
        assertThat(s3.accessKey()).isEqualTo("tester");
        assertThat(s3.secretKey()).isEqualTo("s3cr3t-for-tests");
        assertThat(s3.region()).isEqualTo("us-east-1");
    }

    @Test
    void generatesASecretWhenNoneIsGiven(@TempDir Path other) {
        try (EmbeddedS3 a = EmbeddedS3.start(other)) {
            assertThat(a.accessKey()).isEqualTo(EmbeddedS3.DEFAULT_ACCESS_KEY);
            assertThat(a.secretKey()).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(s3.secretKey());
            assertThat(a.port()).isNotEqualTo(s3.port());
        }
    }

    @Test
    void rejectsUnsignedRequests() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(s3.endpoint() + "/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("AccessDenied");
    }

    @Test
    void rejectsAWrongSecretAndAnUnknownAccessKey() {
        try (S3Client wrongSecret = client("tester", "not-the-secret");
             S3Client unknownKey = client("nobody", "s3cr3t-for-tests")) {
            assertThatThrownBy(wrongSecret::listBuckets).isInstanceOfSatisfying(S3Exception.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            });
            assertThatThrownBy(unknownKey::listBuckets).isInstanceOfSatisfying(S3Exception.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
            });
        }
        assertThat(store.requestCounts().values()).allMatch(n -> n == 0L);
    }

    @Test
    void countsRequestsByTypeAtTheServer() {
        try (S3Client client = client("tester", "s3cr3t-for-tests")) {
            assertThat(store.requestCounts()).containsOnlyKeys("LIST", "PUT", "HEAD", "GET", "DELETE", "MULTIPART",
                    "MULTIPART_CREATE", "MULTIPART_PART", "MULTIPART_COMPLETE", "MULTIPART_ABORT", "CREATE_BUCKET");

            client.createBucket(b -> b.bucket("counted"));
            client.putObject(b -> b.bucket("counted").key("a"), RequestBody.fromString("alpha"));
            client.putObject(b -> b.bucket("counted").key("b"), RequestBody.fromString("beta"));
            client.headObject(b -> b.bucket("counted").key("a"));
            client.getObjectAsBytes(b -> b.bucket("counted").key("a"));
            client.listObjectsV2(b -> b.bucket("counted"));
            client.deleteObjects(b -> b.bucket("counted").delete(d -> d.objects(
                    o -> o.key("a"), o -> o.key("b"))));
            client.deleteObject(b -> b.bucket("counted").key("c"));

            String id = client.createMultipartUpload(b -> b.bucket("counted").key("m")).uploadId();
            String e1 = client.uploadPart(b -> b.bucket("counted").key("m").uploadId(id).partNumber(1),
                    RequestBody.fromBytes(new byte[5 * 1024 * 1024])).eTag();
            String e2 = client.uploadPart(b -> b.bucket("counted").key("m").uploadId(id).partNumber(2),
                    RequestBody.fromString("tail")).eTag();
            client.completeMultipartUpload(b -> b.bucket("counted").key("m").uploadId(id).multipartUpload(m -> m.parts(
                    CompletedPart.builder().partNumber(1).eTag(e1).build(),
                    CompletedPart.builder().partNumber(2).eTag(e2).build())));
            String aborted = client.createMultipartUpload(b -> b.bucket("counted").key("n")).uploadId();
            client.abortMultipartUpload(b -> b.bucket("counted").key("n").uploadId(aborted));

            assertThat(store.requestCounts())
                    .containsEntry("CREATE_BUCKET", 1L)
                    .containsEntry("PUT", 2L)
                    .containsEntry("HEAD", 1L)
                    .containsEntry("GET", 1L)
                    .containsEntry("LIST", 1L)
                    .containsEntry("DELETE", 2L)
                    .containsEntry("MULTIPART_CREATE", 2L)
                    .containsEntry("MULTIPART_PART", 2L)
                    .containsEntry("MULTIPART_COMPLETE", 1L)
                    .containsEntry("MULTIPART_ABORT", 1L)
                    .containsEntry("MULTIPART", 6L);

            store.resetCounts();
            assertThat(store.requestCounts().values()).allMatch(n -> n == 0L);
            client.listObjectsV2(b -> b.bucket("counted"));
            assertThat(store.requestCounts()).containsEntry("LIST", 1L).containsEntry("HEAD", 0L);
        }
    }

    @Test
    void keepsObjectsAcrossARestartOnTheSameStorage() {
        try (S3Client client = client("tester", "s3cr3t-for-tests")) {
            client.createBucket(b -> b.bucket("kept"));
            client.putObject(b -> b.bucket("kept").key("k"), RequestBody.fromString("v"));
        }
        s3.close();
        CountingBlobStore.Counted counted = CountingBlobStore.start(
                EmbeddedS3.builder(storage).accessKey("tester").secretKey("s3cr3t-for-tests"));
        s3 = counted.server();
        store = counted.store();
        try (S3Client client = client("tester", "s3cr3t-for-tests")) {
            assertThat(client.getObjectAsBytes(b -> b.bucket("kept").key("k")).asUtf8String()).isEqualTo("v");
        }
    }

    @Test
    void reportsEachStoredObjectOnceItIsReadable() {
        List<String> stored = new CopyOnWriteArrayList<>();
        try (S3Client client = client("tester", "s3cr3t-for-tests")) {
            store.onStored((bucket, key) -> {
                assertThat(client.headObject(b -> b.bucket(bucket).key(key)).contentLength()).isPositive();
                stored.add(bucket + "/" + key);
            });
            client.createBucket(b -> b.bucket("hooked"));
            client.putObject(b -> b.bucket("hooked").key("single"), RequestBody.fromString("one"));
            String id = client.createMultipartUpload(b -> b.bucket("hooked").key("parts")).uploadId();
            String etag = client.uploadPart(b -> b.bucket("hooked").key("parts").uploadId(id).partNumber(1),
                    RequestBody.fromString("only part")).eTag();
            client.completeMultipartUpload(b -> b.bucket("hooked").key("parts").uploadId(id).multipartUpload(m -> m.parts(
                    CompletedPart.builder().partNumber(1).eTag(etag).build())));
            client.deleteObject(b -> b.bucket("hooked").key("single"));
        }
        assertThat(stored).containsExactly("hooked/single", "hooked/parts");
    }

    @Test
    void inMemoryStoreServesObjectsAndLeavesTheStorageDirectoryUnused(@TempDir Path unused) throws Exception {
        Path storageDir = unused.resolve("never-created");
        CountingBlobStore.Counted counted = CountingBlobStore.start(
                EmbeddedS3.builder(storageDir).inMemory(true).secretKey("s3cr3t-for-tests"));
        try (EmbeddedS3 memory = counted.server();
             S3Client client = S3ClientFactory.create(new S3ClientSettings(memory.endpoint(), memory.region(),
                     StaticCredentialsProvider.create(AwsBasicCredentials.create(memory.accessKey(), "s3cr3t-for-tests")), 2))) {
            client.createBucket(b -> b.bucket("mem"));
            client.putObject(b -> b.bucket("mem").key("dir/k"), RequestBody.fromString("in memory"));

            assertThat(client.getObjectAsBytes(b -> b.bucket("mem").key("dir/k")).asUtf8String()).isEqualTo("in memory");
            assertThat(client.listObjectsV2(b -> b.bucket("mem")).contents()).extracting(o -> o.key())
                    .containsExactly("dir/k");
            assertThat(counted.store().requestCounts()).containsEntry("PUT", 1L).containsEntry("LIST", 1L);
        }
        assertThat(storageDir).doesNotExist();
    }
}
