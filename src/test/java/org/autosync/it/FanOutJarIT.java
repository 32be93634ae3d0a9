package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.autosync.embedded.EmbeddedS3;
import org.autosync.targets.s3.S3ClientFactory;
import org.autosync.targets.s3.S3ClientSettings;
import org.autosync.targets.swift.SwiftCluster;
import org.autosync.targets.swift.SwiftTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Fan-out with the built jar: one source into two S3 servers with different credentials plus the real
 * Swift (when it is available; otherwise the two S3 targets only). One S3 server goes down: the others
 * converge, the run reports that target and exits 2 (as an unreachable endpoint does with one target), and
 * the next run brings it up to date.
 */
@ExtendWith(SwiftCluster.class)
class FanOutJarIT {

    @TempDir
    Path work;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private EmbeddedS3 server(String name, String access, String secret) throws IOException {
        EmbeddedS3 s3 = EmbeddedS3.builder(Files.createDirectories(work.resolve(name))).accessKey(access).secretKey(secret).build();
        closeables.add(s3);
        return s3;
    }

    private S3Client client(EmbeddedS3 s3) {
        S3Client c = S3ClientFactory.create(new S3ClientSettings(s3.endpoint(), s3.region(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())), 2));
        closeables.add(c);
        return c;
    }

    private static Map<String, String> contents(S3Client client, String bucket) {
        Map<String, String> contents = new TreeMap<>();
        for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            contents.put(o.key(), client.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asString(StandardCharsets.UTF_8));
        }
        return contents;
    }

    private static Map<String, String> swiftContents(String container) throws Exception {
        Map<String, String> contents = new TreeMap<>();
        for (String name : SwiftTestClient.names(container)) {
            contents.put(name, new String(SwiftTestClient.get(container, name), StandardCharsets.UTF_8));
        }
        return contents;
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> local) {
        Map<String, String> m = new TreeMap<>();
        local.forEach((k, v) -> m.put(prefix + k, v));
        return m;
    }

    private Map<String, String> localTree() throws IOException {
        Map<String, String> m = new TreeMap<>();
        Path src = work.resolve("src");
        try (var files = Files.walk(src)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                m.put(src.relativize(f).toString(), Files.readString(f));
            }
        }
        return m;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Swift endpoints, or null when the real Swift is unavailable here (that part of the test is skipped). */
    private static SwiftCluster.Endpoints swiftOrNull() {
        try {
            return SwiftCluster.endpoints();
        } catch (TestAbortedException e) {
            System.err.println("FanOutJarIT: without Swift: " + e.getMessage());
            return null;
        }
    }

    @Test
    void oneSourceIntoThreeTargetsThenOneDownThenCatchingUp() throws Exception {
        EmbeddedS3 a = server("s3a", "alpha-access", "alpha-secret-0123456789");
        EmbeddedS3 b = server("s3b", "bravo-access", "bravo-secret-9876543210");
        S3Client ca = client(a);
        S3Client cb = client(b);
        SwiftCluster.Endpoints swift = swiftOrNull();
        String container = "fanout" + System.currentTimeMillis() % 100000;

        Path src = work.resolve("src");
        write(src.resolve("a.txt"), "alpha");
        write(src.resolve("dir/b c.txt"), "bravo");
        write(src.resolve("dir/deep/caf\u00e9.bin"), "charlie");

        List<String> args = new ArrayList<>(List.of("--once", "--settle_time=0", "--state_dir=" + work.resolve("state"),
                "--source_prefix=" + src,
                // default credentials (the environment) are server a's
                "--target=s3://fan-a/mirror?endpoint=" + a.endpoint(),
                // server b's own credentials, named by environment variable, never on the command line
                "--target=s3://fan-b/other/deeper?endpoint=" + b.endpoint() + "&access_key_env=B_KEY&secret_key_env=B_SECRET"));
        JarProcess jar = new JarProcess().in(work)
                .env("AWS_ACCESS_KEY_ID", a.accessKey()).env("AWS_SECRET_ACCESS_KEY", a.secretKey())
                .env("AWS_REGION", a.region())
                .env("B_KEY", b.accessKey()).env("B_SECRET", b.secretKey());
        if (swift != null) {
            args.addAll(List.of("--target=swift://" + container + "/sw", "--swift_auth_url=" + swift.get("SWIFT_AUTH_URL"),
                    "--swift_user=" + swift.get("SWIFT_USER")));
            jar.env("SWIFT_KEY", swift.get("SWIFT_KEY"));
        }
        args.add("src");
        int targets = swift != null ? 3 : 2;

        JarProcess.Result first = jar.run(args);

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdout()).as(first.toString())
                .contains("autosync: t1 s3://fan-a/mirror at " + a.endpoint() + ": in sync, uploaded 3 files")
                .contains("autosync: t2 s3://fan-b/other/deeper at " + b.endpoint() + ": in sync, uploaded 3 files")
                .contains("autosync: total over " + targets + " targets: uploaded " + (3 * targets) + " files");
        assertThat(first.stdout() + first.stderr()).doesNotContain(b.secretKey());
        assertThat(contents(ca, "fan-a")).isEqualTo(prefixed("mirror/", localTree()));
        assertThat(contents(cb, "fan-b")).isEqualTo(prefixed("other/deeper/", localTree()));
        if (swift != null) {
            assertThat(first.stdout()).contains("autosync: t3 swift://" + container + "/sw: in sync, uploaded 3 files");
            assertThat(swiftContents(container)).isEqualTo(prefixed("sw/", localTree()));
        }

        // b goes down; the tree changes
        b.stop();
        write(src.resolve("a.txt"), "alpha two");
        write(src.resolve("new.txt"), "new");
        Files.delete(src.resolve("dir/b c.txt"));

        long started = System.nanoTime();
        JarProcess.Result down = jar.run(args);
        long downMillis = (System.nanoTime() - started) / 1_000_000;

        // each target's code is what it would be alone: an unreachable endpoint is 2 (environment), worst wins
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(2);
        assertThat(down.stdout()).as(down.toString())
                .contains("autosync: t1 s3://fan-a/mirror at " + a.endpoint() + ": in sync, uploaded 2 files")
                .contains("autosync: t2 s3://fan-b/other/deeper at " + b.endpoint() + ": FAILED (exit 2)");
        assertThat(down.stderr()).contains("job1-t2", "cannot reach the S3 endpoint " + b.endpoint());
        assertThat(contents(ca, "fan-a")).isEqualTo(prefixed("mirror/", localTree()));
        if (swift != null) {
            assertThat(down.stdout()).contains("autosync: t3 swift://" + container + "/sw: in sync, uploaded 2 files");
            assertThat(swiftContents(container)).isEqualTo(prefixed("sw/", localTree()));
        }
        System.err.println("FanOutJarIT: --once with one of " + targets + " targets down took " + downMillis + " ms");

        // b is back: the next run brings it up to date, and only it has work to do
        b.restart();
        JarProcess.Result back = jar.run(args);

        assertThat(back.exitCode()).as(back.toString()).isZero();
        assertThat(back.stdout()).as(back.toString())
                .contains("autosync: t1 s3://fan-a/mirror at " + a.endpoint() + ": in sync, uploaded 0 files / 0 bytes, deleted 0")
                .contains("autosync: t2 s3://fan-b/other/deeper at " + b.endpoint() + ": in sync, uploaded 2 files / 12 bytes, deleted 1");
        assertThat(contents(cb, "fan-b")).isEqualTo(prefixed("other/deeper/", localTree()));
    }

    @Test
    void continuousModeKeepsTheOthersGoingWhileOneIsDownAndItCatchesUp() throws Exception {
        EmbeddedS3 a = server("s3a", "alpha-access", "alpha-secret-0123456789");
        EmbeddedS3 b = server("s3b", "bravo-access", "bravo-secret-9876543210");
        S3Client ca = client(a);
        S3Client cb = client(b);
        SwiftCluster.Endpoints swift = swiftOrNull();
        String container = "fancont" + System.currentTimeMillis() % 100000;
        Path src = work.resolve("src");
        write(src.resolve("a.txt"), "alpha");
        write(src.resolve("dir/b.txt"), "bravo");

        List<String> args = new ArrayList<>(List.of("--interval=500ms", "--reconcile_interval=2s", "--settle_time=0",
                "--state_dir=" + work.resolve("state"), "--source_prefix=" + src, "--shutdown_timeout=2s",
                "--target=s3://fan-a/m?endpoint=" + a.endpoint(),
                "--target=s3://fan-b/m?endpoint=" + b.endpoint() + "&access_key_env=B_KEY&secret_key_env=B_SECRET"));
        JarProcess jar = new JarProcess().in(work)
                .env("AWS_ACCESS_KEY_ID", a.accessKey()).env("AWS_SECRET_ACCESS_KEY", a.secretKey())
                .env("AWS_REGION", a.region())
                .env("B_KEY", b.accessKey()).env("B_SECRET", b.secretKey());
        if (swift != null) {
            args.addAll(List.of("--target=swift://" + container + "/m", "--swift_auth_url=" + swift.get("SWIFT_AUTH_URL"),
                    "--swift_user=" + swift.get("SWIFT_USER")));
            jar.env("SWIFT_KEY", swift.get("SWIFT_KEY"));
        }
        args.add("src");
        JarProcess.Running running = jar.start(args);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
                assertThat(contents(ca, "fan-a")).isEqualTo(prefixed("m/", localTree()));
                assertThat(contents(cb, "fan-b")).isEqualTo(prefixed("m/", localTree()));
                if (swift != null) {
                    assertThat(swiftContents(container)).isEqualTo(prefixed("m/", localTree()));
                }
            });

            b.stop();
            write(src.resolve("a.txt"), "alpha two");
            write(src.resolve("dir/new.txt"), "new");
            Files.delete(src.resolve("dir/b.txt"));
            long changed = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
                assertThat(contents(ca, "fan-a")).isEqualTo(prefixed("m/", localTree()));
                if (swift != null) {
                    assertThat(swiftContents(container)).isEqualTo(prefixed("m/", localTree()));
                }
            });
            long othersMillis = (System.nanoTime() - changed) / 1_000_000;
            assertThat(running.process().isAlive()).as(running.stderrSoFar()).isTrue();

            b.restart();
            long restarted = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() ->
                    assertThat(contents(cb, "fan-b")).isEqualTo(prefixed("m/", localTree())));
            long catchUpMillis = (System.nanoTime() - restarted) / 1_000_000;
            System.err.println("FanOutJarIT: continuous, one of " + (swift != null ? 3 : 2) + " targets down: others "
                    + "converged " + othersMillis + " ms after the change; the downed one " + catchUpMillis
                    + " ms after its restart");

            running.process().destroy(); // SIGTERM: orderly stop, exit 0
            assertThat(running.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(running.result().exitCode()).as(running.result().toString()).isZero();
        } finally {
            running.cleanUp();
        }
    }

    @Test
    void targetWithTargetContainerIsAConfigurationError() throws Exception {
        Files.createDirectories(work.resolve("src"));
        JarProcess.Result r = new JarProcess().in(work).run("--once", "--target=s3://x", "--target_container=y",
                "--state_dir=" + work.resolve("state"), "src");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("--target and --target_container do not combine");
    }

    @Test
    void aMissingCredentialVariableIsAConfigurationErrorNamingIt() throws Exception {
        Files.createDirectories(work.resolve("src"));
        JarProcess.Result r = new JarProcess().in(work).env("NO_SUCH_KEY", null)
                .run("--once", "--target=s3://xyz?endpoint=http://127.0.0.1:9&access_key_env=NO_SUCH_KEY&secret_key_env=S",
                        "--state_dir=" + work.resolve("state"), "src");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("environment variable NO_SUCH_KEY is not set");
    }
}
