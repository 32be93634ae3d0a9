package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.autosync.testing.CountingBlobStore;
import org.autosync.testing.S3Fixture;
import org.autosync.embedded.EmbeddedS3;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * The built jar killed, stopped and misconfigured: SIGKILL and SIGTERM in the middle of a multipart
 * upload (the server slowed down per part so that there is a middle), secrets in the output, and the
 * permissions of the state.
 */
class FaultsJarIT {

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final int BIG_MIB = 64;

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
    void freshBucket() {
        bucket = "faults-" + BUCKETS.incrementAndGet();
        stateDir = work.resolve("state");
    }

    @AfterEach
    void fullSpeed() {
        store.partDelay(Duration.ZERO);
    }

    private JarProcess autosync() {
        return new JarProcess().in(work)
                .env("AWS_ACCESS_KEY_ID", s3.accessKey()).env("AWS_SECRET_ACCESS_KEY", s3.secretKey())
                .env("AWS_REGION", s3.region());
    }

    private List<String> args(String... extra) {
        List<String> all = new ArrayList<>(List.of("--endpoint=" + s3.endpoint(), "--target_container=" + bucket,
                "--state_dir=" + stateDir, "--source_prefix=" + work, "--part_size=5M", "--multipart_threshold=5M"));
        all.addAll(List.of(extra));
        all.add("src");
        return all;
    }

    /** A file of {@value #BIG_MIB} MiB of random bytes; returns its MD5. */
    private String bigFile() throws Exception {
        Path big = Files.createDirectories(work.resolve("src")).resolve("big.bin");
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] block = new byte[1 << 20];
        Random random = new Random(42);
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < BIG_MIB; i++) {
                random.nextBytes(block);
                md5.update(block);
                out.write(block);
            }
        }
        Files.setLastModifiedTime(big, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 10_000));
        return HexFormat.of().formatHex(md5.digest());
    }

    private String objectMd5(String key) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        try (InputStream in = client.getObject(r -> r.bucket(bucket).key(key))) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md5.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private List<MultipartUpload> incompleteUploads() {
        return client.listMultipartUploads(r -> r.bucket(bucket)).uploads();
    }

    private long parts() {
        return store.requestCounts().get(CountingBlobStore.MULTIPART_PART);
    }

    @Test
    void killDashNineMidMultipartThenRestartConvergesWithNoLeftoverUploads() throws Exception {
        String md5 = bigFile();
        client.createBucket(r -> r.bucket(bucket));
        store.resetCounts();
        store.partDelay(Duration.ofMillis(400)); // 13 parts, 4 at a time: about 2 s in all
        JarProcess.Running first = autosync().start(args("--once"));
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> parts() >= 2);
            first.process().destroyForcibly(); // SIGKILL
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.cleanUp();
        }
        long partsBeforeKill = parts();
        assertThat(incompleteUploads()).as("the kill left an incomplete upload behind").hasSize(1);
        assertThat(client.listObjectsV2(r -> r.bucket(bucket)).contents()).isEmpty();

        store.partDelay(Duration.ZERO);
        store.resetCounts();
        JarProcess.Result second = autosync().run(args("--once"));

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stderr()).contains("aborted 1 incomplete multipart upload(s) left behind by an earlier run");
        assertThat(second.stdout()).contains("uploaded 1 files / " + ((long) BIG_MIB << 20) + " bytes");
        assertThat(store.requestCounts().get(CountingBlobStore.MULTIPART_ABORT)).isEqualTo(1);
        assertThat(incompleteUploads()).isEmpty();
        assertThat(objectMd5("src/big.bin")).isEqualTo(md5);

        store.resetCounts();
        JarProcess.Result third = autosync().run(args("--once"));
        assertThat(third.stdout()).as(third.toString()).contains("uploaded 0 files");
        assertThat(store.requestCounts().get(CountingBlobStore.MULTIPART_ABORT)).as("a clean start aborts nothing").isZero();
        System.out.printf("kill -9: killed after %d part request(s); restart: %s%n", partsBeforeKill, second.stdout().trim());
    }

    @Test
    void sigtermStopsCleanlyAndExitsZero() throws Exception {
        String md5 = bigFile();
        Files.writeString(work.resolve("src/small.txt"), "small");
        client.createBucket(r -> r.bucket(bucket));
        store.resetCounts();
        store.partDelay(Duration.ofMillis(400));
        JarProcess.Running running = autosync().start(args("--interval=200ms", "--shutdown_timeout=20s"));
        JarProcess.Result stopped;
        long stopMillis;
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> parts() >= 2);
            long t0 = System.nanoTime();
            running.process().destroy(); // SIGTERM
            assertThat(running.process().waitFor(20 + 20, TimeUnit.SECONDS)).as("exits within the bound").isTrue();
            stopMillis = (System.nanoTime() - t0) / 1_000_000;
            stopped = running.result();
        } finally {
            running.cleanUp();
        }

        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        assertThat(stopped.stderr()).contains("SIGTERM: stopping");
        assertThat(incompleteUploads()).as("no incomplete multipart upload left").isEmpty();
        // the upload in flight was finished within the timeout: the object is complete
        assertThat(objectMd5("src/big.bin")).isEqualTo(md5);

        store.partDelay(Duration.ZERO);
        store.resetCounts();
        JarProcess.Result restart = autosync().run(args("--once"));
        assertThat(restart.exitCode()).as(restart.toString()).isZero();
        assertThat(restart.stdout()).as("the state recorded the finished upload: a restart is a no-op")
                .contains("uploaded 0 files / 0 bytes, deleted 0, unchanged 2, failed 0");
        assertThat(store.requestCounts().get(CountingBlobStore.MULTIPART)).isZero();
        System.out.printf("SIGTERM: exit %d after %d ms; restart: %s%n", stopped.exitCode(), stopMillis,
                restart.stdout().trim());
    }

    @Test
    void sigtermWithAShortTimeoutAbortsTheUploadInFlightAndExitsZero() throws Exception {
        String md5 = bigFile();
        client.createBucket(r -> r.bucket(bucket));
        store.resetCounts();
        store.partDelay(Duration.ofSeconds(3)); // 13 parts, 4 at a time: about 12 s, longer than the timeout
        JarProcess.Running running = autosync().start(args("--interval=200ms", "--shutdown_timeout=2s"));
        JarProcess.Result stopped;
        long stopMillis;
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> parts() >= 1);
            long t0 = System.nanoTime();
            running.process().destroy();
            assertThat(running.process().waitFor(2 + 20, TimeUnit.SECONDS)).as("exits within the bound").isTrue();
            stopMillis = (System.nanoTime() - t0) / 1_000_000;
            stopped = running.result();
        } finally {
            running.cleanUp();
        }
        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        assertThat(incompleteUploads()).as("the upload in flight was aborted").isEmpty();
        assertThat(store.requestCounts().get(CountingBlobStore.MULTIPART_ABORT)).isEqualTo(1);

        store.partDelay(Duration.ZERO);
        JarProcess.Result restart = autosync().run(args("--once"));
        assertThat(restart.exitCode()).as(restart.toString()).isZero();
        assertThat(restart.stdout()).contains("uploaded 1 files");
        assertThat(objectMd5("src/big.bin")).isEqualTo(md5);
        System.out.printf("SIGTERM, 2 s timeout: exit %d after %d ms, %s%n", stopped.exitCode(), stopMillis,
                store.requestCounts());
    }

    @Test
    void credentialsNeverAppearInOutputEvenAtDebugLevel() throws Exception {
        String secret = "CanarySecret-" + Long.toHexString(new Random().nextLong()) + "-do-not-print";
        String keyId = "AKIACANARYKEYID12345";
        Files.createDirectories(work.resolve("src"));
        Files.writeString(work.resolve("src/a.txt"), "a");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        JarProcess secretive = new JarProcess().in(work).env("AWS_ACCESS_KEY_ID", keyId)
                .env("AWS_SECRET_ACCESS_KEY", secret).env("AWS_REGION", "us-east-1").env("AUTOSYNC_LOG_LEVEL", "DEBUG");
        List<JarProcess.Result> results = List.of(
                secretive.run("--once", "--endpoint=http://127.0.0.1:" + closedPort, "--target_container=" + bucket,
                        "--state_dir=" + stateDir, "--source_prefix=" + work, "src"),
                secretive.run("--once", "--endpoint=" + s3.endpoint(), "--target_container=" + bucket,
                        "--state_dir=" + stateDir, "--source_prefix=" + work, "src"),
                secretive.run("--help"));

        assertThat(results.get(0).exitCode()).as(results.get(0).toString()).isEqualTo(2);
        assertThat(results.get(1).exitCode()).as(results.get(1).toString()).isEqualTo(2);
        assertThat(results.get(2).exitCode()).isZero();
        for (JarProcess.Result r : results) {
            assertThat(r.stdout() + r.stderr()).doesNotContain(secret).doesNotContain(secret.substring(0, 20));
        }
        assertThat(results.get(0).stderr()).contains("cannot reach");
        assertThat(results.get(1).stderr()).contains("credentials");
    }

    @Test
    void stateDirectoryAndFilesAreReadableByTheirOwnerOnly() throws Exception {
        Files.createDirectories(work.resolve("src"));
        Files.writeString(work.resolve("src/a.txt"), "a");
        stateDir = work.resolve("fresh/state");
        JarProcess.Result result = autosync().run(args("--once"));
        assertThat(result.exitCode()).as(result.toString()).isZero();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir))).isEqualTo("rwx------");
        try (var files = Files.list(stateDir)) {
            List<Path> all = files.toList();
            assertThat(all).isNotEmpty();
            for (Path f : all) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                        .isEqualTo("rw-------");
            }
        }
    }
}
