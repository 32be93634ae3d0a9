package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.autosync.testing.CountingBlobStore;
import org.autosync.testing.PostgresServer;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The built jar with {@code --state_url}: the sync state in a real PostgreSQL, found again by a run on a fresh machine. */
class StateUrlJarIT {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();
    @RegisterExtension
    static final PostgresServer pg = PostgresServer.shared();

    @TempDir
    Path work;

    private JarProcess.Result once(String bucket, String stateDir, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--once", "--endpoint=" + s3.server.endpoint(),
                "--target_container=" + bucket, "--state_dir=" + work.resolve(stateDir), "--settle_time=0",
                "--source_prefix=" + work, "src"));
        all.addAll(List.of(args));
        return new JarProcess().in(work)
                .env("AWS_ACCESS_KEY_ID", s3.server.accessKey()).env("AWS_SECRET_ACCESS_KEY", s3.server.secretKey())
                .env("AWS_REGION", s3.server.region()).run(all);
    }

    @Test
    void aSecondNodeWithAFreshStateDirFindsTheRecordsAndReadsNoUnchangedFile() throws Exception {
        Path src = Files.createDirectories(work.resolve("src/dir"));
        for (String name : List.of("a.txt", "dir/b.txt", "dir/c.bin")) {
            Files.writeString(work.resolve("src").resolve(name), "first " + name);
        }
        String bucket = S3Fixture.uniqueBucket("state-url");
        String url = "--state_url=" + pg.jdbcUrlWithPassword();
        JarProcess.Result first = once(bucket, "node-1", url);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdout()).contains("uploaded 3 files");

        // the same sizes and mtimes, other bytes: only a file that is read (MD5) shows the difference
        try (var files = Files.walk(work.resolve("src"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                FileTime mtime = Files.getLastModifiedTime(f);
                Files.writeString(f, Files.readString(f).replace("first", "other"));
                Files.setLastModifiedTime(f, mtime);
            }
        }
        s3.store.resetCounts();
        JarProcess.Result second = once(bucket, "node-2", url);

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stdout()).contains("uploaded 0 files / 0 bytes, deleted 0, unchanged 3");
        Map<String, Long> counts = s3.store.requestCounts();
        assertThat(counts.getOrDefault(CountingBlobStore.PUT, 0L)).isZero();
        assertThat(counts.getOrDefault(CountingBlobStore.HEAD, 0L)).isZero();
        assertThat(counts.getOrDefault(CountingBlobStore.LIST, 0L)).isBetween(1L, 3L);
        assertThat(work.resolve("node-2")).as("no state file").doesNotExist();
        assertThat(first.stdout() + first.stderr() + second.stdout() + second.stderr()).doesNotContain(pg.password());

        // without the shared state a fresh node compares contents (reads every file) and finds them all different
        s3.store.resetCounts();
        JarProcess.Result alone = once(bucket, "node-3");
        assertThat(alone.exitCode()).as(alone.toString()).isZero();
        assertThat(s3.store.requestCounts().getOrDefault(CountingBlobStore.PUT, 0L)).isEqualTo(3L);
        assertThat(src).exists();
    }

    @Test
    void badStateUrlIsOneLineAndExit2WithoutThePassword() throws Exception {
        Files.createDirectories(work.resolve("src"));
        JarProcess.Result result = once("bucket", "state", "--state_url=jdbc:postgresql://db:70000/x?password=hunter2");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.stdout() + result.stderr()).doesNotContain("hunter2").doesNotContain("\tat ");
        assertThat(result.stderr().lines().filter(l -> !l.isBlank()).findFirst().orElseThrow())
                .contains("--state_url").contains("port 70000 is not 1 to 65535");
    }
}
