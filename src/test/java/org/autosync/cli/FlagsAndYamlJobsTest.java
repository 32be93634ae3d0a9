package org.autosync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.camel.support.service.ServiceHelper;
import org.autosync.state.MvStoreSyncState;
import org.autosync.state.SyncRecord;
import org.autosync.testing.PostgresServer;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One way to build a job: a job given by flags and the same job given as YAML (a {@code templatedRoute} of
 * {@code autosync-job} with the parameters the flags mean) write the same keys and the same sync state (the same
 * state file, the same records), run by the command line in this JVM against a real S3 server.
 */
class FlagsAndYamlJobsTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();
    @RegisterExtension
    static final PostgresServer pg = PostgresServer.shared();

    @TempDir
    Path work;
    private String stdout;
    private String stderr;

    /** The command line takes its credentials from the SDK's default chain, which reads these. */
    @BeforeAll
    static void credentials() {
        System.setProperty("aws.accessKeyId", s3.server.accessKey());
        System.setProperty("aws.secretAccessKey", s3.server.secretKey());
    }

    @AfterAll
    static void noCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void should_write_the_same_keys_and_state_without_source_prefix_as_yaml_with_source_prefix_slash() throws Exception {
        Path src = tree();
        String bucket = S3Fixture.uniqueBucket("flags-abs");
        // the original autosync's rule: no --source_prefix, the key is the absolute path less its leading '/'
        Run flags = once("flags-state", "--target_container=" + bucket, "--target_prefix=pre", src.toString());
        Run yaml = yamlOnce("yaml-state", bucket, """
                      - {name: target, value: "s3://%s/pre"}
                      - {name: sourcePrefix, value: "/"}
                """.formatted(bucket), src);

        assertThat(flags.keys()).containsKey("pre" + src + "/dir/b.txt").hasSize(3);
        assertSameJob(flags, yaml);
    }

    @Test
    void should_write_the_same_keys_and_state_with_source_prefix_as_yaml_by_default() throws Exception {
        Path src = tree();
        String bucket = S3Fixture.uniqueBucket("flags-rel");
        // a YAML job's keys are relative to its source unless it says otherwise
        Run flags = once("flags-state", "--target_container=" + bucket, "--source_prefix=" + src, "--no-delete",
                "--source_filter=.*\\.txt$", "--multipart_threshold=5MiB", "--part_size=5MiB", src.toString());
        Run yaml = yamlOnce("yaml-state", bucket, """
                      - {name: target, value: "s3://%s"}
                      - {name: noDelete, value: "true"}
                      - {name: filter, value: ".*\\\\.txt$"}
                      - {name: multipartThreshold, value: 5MiB}
                      - {name: partSize, value: 5MiB}
                """.formatted(bucket), src);

        assertThat(flags.keys()).containsOnlyKeys("a.txt", "dir/b.txt");
        assertSameJob(flags, yaml);
    }

    @Test
    void should_keep_the_same_state_in_postgres_from_flags_and_yaml_and_no_state_file() throws Exception {
        Path src = tree();
        String bucket = S3Fixture.uniqueBucket("flags-pg");
        String url = pg.jdbcUrlWithPassword();
        int code = capture(List.of("--once", "--endpoint=" + s3.server.endpoint(), "--region=" + s3.server.region(),
                "--settle_time=0", "--state_dir=" + work.resolve("flags-state"), "--state_url=" + url,
                "--target_container=" + bucket, "--source_prefix=" + src, src.toString()));
        assertThat(code).as(stdout + stderr).isZero();
        Map<String, Map<String, Long>> flagsRows = rows();
        finished(bucket, null);

        Run yaml = yamlOnce("yaml-state", bucket, """
                      - {name: target, value: "s3://%s"}
                      - {name: stateUrl, value: "%s"}
                """.formatted(bucket, url), src);

        assertThat(yaml.keys()).containsOnlyKeys("a.txt", "dir/b.txt", "dir/c.bin");
        assertThat(flagsRows).as("one job's rows, under one state id").hasSize(1);
        assertThat(rows()).as("the YAML job found the flags job's rows and kept them").isEqualTo(flagsRows);
        assertThat(work.resolve("flags-state")).doesNotExist();
        assertThat(stdout + stderr).doesNotContain(pg.password());
    }

    @Test
    void should_refuse_a_bad_state_url_in_one_line_with_exit_2_and_no_password() throws Exception {
        int code = capture(List.of("--once", "--state_url=postgresql://db/x?user=u&password=hunter2",
                "--target_container=bucket", work.toString()));

        assertThat(code).isEqualTo(2);
        assertThat(stderr.strip()).doesNotContain("hunter2").contains("--state_url")
                .contains("is not a PostgreSQL JDBC URL: give jdbc:postgresql://HOST[:PORT]/DATABASE");
        assertThat(stderr.strip().lines().findFirst().orElseThrow()).contains("--state_url");

        Path routes = Files.createDirectories(work.resolve("bad-routes"));
        Files.writeString(routes.resolve("job.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: autosync-job
                    parameters:
                      - {name: jobId, value: bad-url}
                      - {name: source, value: "%s"}
                      - {name: target, value: "s3://bucket"}
                      - {name: stateUrl, value: "jdbc:postgresql://db:0/x?password=hunter2"}
                """.formatted(work));
        code = capture(List.of("--once", "--endpoint=" + s3.server.endpoint(), "--routes=" + routes));
        assertThat(code).isEqualTo(2);
        assertThat(stdout + stderr).doesNotContain("hunter2").contains("parameter 'stateUrl'")
                .contains("port 0 is not 1 to 65535");
    }

    /** state id to key to size, of every record in the database. */
    private static Map<String, Map<String, Long>> rows() throws SQLException {
        Map<String, Map<String, Long>> rows = new TreeMap<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT state_id, key, size FROM autosync_records")) {
            while (r.next()) {
                rows.computeIfAbsent(r.getString(1), id -> new TreeMap<>()).put(r.getString(2), r.getLong(3));
            }
        }
        return rows;
    }

    /** The same objects, and state files of the same name (so the same identity) holding the same records. */
    private void assertSameJob(Run flags, Run yaml) {
        assertThat(yaml.keys()).isEqualTo(flags.keys());
        assertThat(yaml.stateFile().getFileName()).isEqualTo(flags.stateFile().getFileName());
        assertThat(yaml.records()).isNotEmpty().isEqualTo(flags.records());
    }

    private Path tree() throws IOException {
        Path src = Files.createDirectories(work.resolve("src/dir"));
        Files.writeString(src.resolve("b.txt"), "bravo");
        Files.writeString(src.resolve("c.bin"), "charlie");
        Files.writeString(src.getParent().resolve("a.txt"), "alpha");
        return src.getParent();
    }

    private record Run(Map<String, String> keys, Path stateFile, Map<String, SyncRecord> records) {
    }

    /** One --once run of the flags; then the bucket is emptied for the next run. */
    private Run once(String stateDir, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--once", "--endpoint=" + s3.server.endpoint(),
                "--region=" + s3.server.region(), "--settle_time=0", "--state_dir=" + work.resolve(stateDir)));
        all.addAll(List.of(args));
        int code = capture(all);
        assertThat(code).as(stdout + stderr).isZero();
        String bucket = all.stream().filter(a -> a.startsWith("--target_container=")).findFirst().orElseThrow()
                .substring("--target_container=".length());
        return finished(bucket, work.resolve(stateDir));
    }

    /** One --once run of a YAML job (jobId, source and settleTime given, then {@code parameters}). */
    private Run yamlOnce(String stateDir, String bucket, String parameters, Path src) throws Exception {
        Path routes = Files.createDirectories(work.resolve("routes-" + stateDir));
        Files.writeString(routes.resolve("job.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: autosync-job
                    parameters:
                      - {name: jobId, value: from-yaml}
                      - {name: source, value: "%s"}
                      - {name: settleTime, value: "0"}
                """.formatted(src) + parameters);
        int code = capture(List.of("--once", "--endpoint=" + s3.server.endpoint(), "--region=" + s3.server.region(),
                "--state_dir=" + work.resolve(stateDir), "--routes=" + routes));
        assertThat(code).as(stdout + stderr).isZero();
        assertThat(stdout).contains("autosync: from-yaml s3://" + bucket);
        return finished(bucket, work.resolve(stateDir));
    }

    private Run finished(String bucket, Path stateDir) throws Exception {
        Map<String, String> keys = s3.contents(bucket);
        for (S3Object o : s3.client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            s3.client.deleteObject(r -> r.bucket(bucket).key(o.key()));
        }
        if (stateDir == null || !Files.exists(stateDir)) {
            return new Run(keys, null, Map.of());
        }
        Path file;
        try (Stream<Path> files = Files.list(stateDir)) {
            List<Path> states = files.filter(p -> p.toString().endsWith(".mv.db")).toList();
            assertThat(states).hasSize(1);
            file = states.get(0);
        }
        MvStoreSyncState state = new MvStoreSyncState(file);
        ServiceHelper.startService(state);
        try {
            Map<String, SyncRecord> records = new TreeMap<>();
            for (String key : state.keysUnder("", null, Integer.MAX_VALUE)) {
                records.put(key, state.get(key).orElseThrow());
            }
            return new Run(keys, file, records);
        } finally {
            ServiceHelper.stopService(state);
        }
    }

    private int capture(List<String> args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Autosync.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            stdout = out.toString(StandardCharsets.UTF_8);
            stderr = err.toString(StandardCharsets.UTF_8);
        }
    }
}
