package org.autosync.targets.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.autosync.embedded.EmbeddedS3;
import org.autosync.targets.Upload;
import org.autosync.testing.RecordingRelay;
import org.autosync.testing.RecordingRelay.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What an upload puts on the wire, read at a real S3Proxy through a relay that records the bytes (and can alter
 * them): every PUT of a body carries the body's {@code Content-MD5} and {@code x-amz-content-sha256: UNSIGNED-PAYLOAD},
 * no aws-chunked encoding and no checksum trailer, and the server refuses a body that does not match its MD5.
 */
class S3UploadIntegrityTest {

    static final long MIB = 1024 * 1024;
    static final long MTIME = 1_700_000_000_123L;

    @TempDir
    static Path storage;
    static EmbeddedS3 s3;

    @TempDir
    Path work;

    RecordingRelay relay;
    S3Client client;
    String bucket;

    @BeforeAll
    static void startServer() {
        s3 = EmbeddedS3.start(storage);
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    @BeforeEach
    void relayAndBucket() throws Exception {
        relay = new RecordingRelay(s3.endpoint());
        client = S3ClientFactory.create(new S3ClientSettings(relay.endpoint(), "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())), 4));
        bucket = "integrity-" + Long.toHexString(System.nanoTime());
        client.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        relay.close();
    }

    @Test
    void aSmallFileIsPutWithItsContentMd5AndAnUnsignedPayload() throws Exception {
        Path f = randomFile("small.bin", 4096);
        try (S3Actor actor = new S3Actor(client, bucket, S3ActorSettings.defaults())) {
            actor.upload(new Upload("small.bin", f, 4096, MTIME, null, Map.of()));
        }

        List<Request> puts = puts();
        assertThat(puts).hasSize(1);
        assertUnsignedWithMd5(puts.get(0), md5(Files.readAllBytes(f)));
        assertThat(downloaded("small.bin")).isEqualTo(Files.readAllBytes(f));
    }

    @Test
    void aFileAboveTheInMemoryLimitIsHashedFromDiskAndPutTheSameWay() throws Exception {
        long size = ContentMd5.IN_MEMORY_LIMIT * 3 + 17;
        Path f = randomFile("large.bin", size);
        try (S3Actor actor = new S3Actor(client, bucket, S3ActorSettings.defaults())) {
            actor.upload(new Upload("large.bin", f, size, MTIME, null, Map.of()));
        }

        List<Request> puts = puts();
        assertThat(puts).hasSize(1);
        assertUnsignedWithMd5(puts.get(0), md5(Files.readAllBytes(f)));
        assertThat(downloaded("large.bin")).isEqualTo(Files.readAllBytes(f));
    }

    @Test
    void everyPartOfAMultipartUploadCarriesTheMd5OfItsRange() throws Exception {
        Path f = randomFile("parts.bin", 12 * MIB + 5);
        byte[] bytes = Files.readAllBytes(f);
        S3ActorSettings small = S3ActorSettings.defaults().withMultipart(5 * MIB, 5 * MIB).withPartConcurrency(2);
        try (S3Actor actor = new S3Actor(client, bucket, small)) {
            actor.upload(new Upload("parts.bin", f, bytes.length, MTIME, null, Map.of()));
        }

        List<Request> parts = puts();
        assertThat(parts).hasSize(3).allSatisfy(p -> assertThat(p.path()).contains("partNumber="));
        for (Request part : parts) {
            int number = Integer.parseInt(part.path().replaceAll(".*partNumber=(\\d+).*", "$1"));
            int from = (int) ((number - 1) * 5 * MIB);
            assertUnsignedWithMd5(part, md5(Arrays.copyOfRange(bytes, from, (int) Math.min(bytes.length, from + 5 * MIB))));
        }
        assertThat(downloaded("parts.bin")).isEqualTo(bytes);
    }

    @Test
    void aBodyChangedOnTheWayIsRefusedByTheServerNothingIsStoredAndTheFailureIsTransient() throws Exception {
        byte[] marker = "CHANGE-ME!".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[marker.length * 400];
        for (int i = 0; i < body.length; i += marker.length) {
            System.arraycopy(marker, 0, body, i, marker.length);
        }
        Path f = Files.write(work.resolve("altered.bin"), body);
        relay.alterRequests(chunk -> replace(chunk, marker, "CHANGED-IT".getBytes(StandardCharsets.US_ASCII)));

        try (S3Actor actor = new S3Actor(client, bucket, S3ActorSettings.defaults())) {
            assertThatThrownBy(() -> actor.upload(new Upload("altered.bin", f, body.length, MTIME, null, Map.of())))
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("BadDigest"))
                    .satisfies(e -> assertThat(actor.isTransient(e)).as("sent again by the next re-scan or pass").isTrue());
        }
        relay.alterRequests(chunk -> chunk);
        assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    }

    private List<Request> puts() {
        return relay.requests().stream().filter(r -> r.method().equals("PUT") && r.path().length() > bucket.length() + 2)
                .toList();
    }

    private static void assertUnsignedWithMd5(Request put, String md5) {
        assertThat(put.header("x-amz-content-sha256")).as(put.toString()).isEqualTo("UNSIGNED-PAYLOAD");
        assertThat(put.header("content-md5")).as(put.toString()).isEqualTo(md5);
        assertThat(put.header("authorization")).contains("content-md5");
        assertThat(put.headers().keySet()).as(put.toString())
                .noneMatch(h -> h.startsWith("x-amz-checksum") || h.equals("x-amz-trailer") || h.equals("content-encoding"));
    }

    private byte[] downloaded(String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    private Path randomFile(String name, long size) throws Exception {
        byte[] bytes = new byte[(int) size];
        new Random(size).nextBytes(bytes);
        return Files.write(work.resolve(name), bytes);
    }

    private static String md5(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static byte[] replace(byte[] chunk, byte[] from, byte[] to) {
        byte[] out = chunk.clone();
        for (int i = 0; i + from.length <= out.length; i++) {
            if (Arrays.equals(out, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, out, i, to.length);
                return out; // one changed occurrence is enough
            }
        }
        return out;
    }
}
