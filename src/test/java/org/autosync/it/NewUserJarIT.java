package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar tried as a new user would: no AWS setup at all, a first continuous run, a dry run, a first
 * {@code --embedded-s3} with a mistake in it. Each problem is one line {@code autosync: ...} and the documented
 * exit code; each transfer and delete is one log line.
 */
class NewUserJarIT {

    /** What the AWS SDK reads besides ~/.aws: all unset, so nothing but the command line can give a setting. */
    private static final List<String> AWS_VARIABLES = List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE",
            "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;
    private Path src;
    private Path stateDir;
    private String bucket;

    @BeforeEach
    void tree() throws IOException {
        src = Files.createDirectories(work.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "alpha");
        Files.writeString(src.resolve("b.txt"), "bravo!");
        stateDir = work.resolve("state");
        bucket = S3Fixture.uniqueBucket("newuser");
    }

    /** A user without any AWS setup: an empty home (no ~/.aws) and no AWS_* variable. */
    private JarProcess withoutAwsSetup() throws IOException {
        JarProcess jar = new JarProcess().in(work).env("HOME", Files.createDirectories(work.resolve("home")).toString());
        AWS_VARIABLES.forEach(v -> jar.env(v, null));
        return jar;
    }

    private JarProcess withCredentials() {
        return new JarProcess().in(work).env("AWS_ACCESS_KEY_ID", s3.server.accessKey())
                .env("AWS_SECRET_ACCESS_KEY", s3.server.secretKey()).env("AWS_REGION", s3.server.region());
    }

    /** The lines autosync itself printed on stderr (not the log lines), and no stack trace anywhere. */
    private static List<String> ownLines(JarProcess.Result result) {
        assertThat(result.stderr() + result.stdout()).as(result.toString())
                .doesNotContain("\tat ", "Exception", "software.amazon.awssdk", "Unable to load");
        return result.stderr().lines().filter(l -> l.startsWith("autosync:")).toList();
    }

    @Test
    void withoutRegionEndpointOrCredentialsItSaysWhatToSet() throws Exception {
        JarProcess.Result result = withoutAwsSetup().run("--once", "--target_container=some-bucket",
                "--state_dir=" + stateDir, src.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(ownLines(result)).as(result.toString()).singleElement().asString()
                .contains("--region", "AWS_REGION", "--endpoint");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void withARegionButNoCredentialsItSaysWhereCredentialsComeFrom() throws Exception {
        JarProcess.Result result = withoutAwsSetup().run("--once", "--region=eu-west-1",
                "--target_container=some-bucket", "--state_dir=" + stateDir, src.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(ownLines(result)).as(result.toString()).singleElement().asString()
                .contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "~/.aws/credentials");
        assertThat(result.stdout()).as("no summary of a pass that never ran").isEmpty();
    }

    @Test
    void withAnEndpointButNoCredentialsItSaysWhereCredentialsComeFrom() throws Exception {
        JarProcess.Result result = withoutAwsSetup().run("--once", "--endpoint=" + s3.server.endpoint(),
                "--target_container=some-bucket", "--state_dir=" + stateDir, src.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(ownLines(result)).as(result.toString()).singleElement().asString().contains("AWS_ACCESS_KEY_ID");
    }

    @Test
    void aYamlJobWithoutRegionSaysWhatToSet() throws Exception {
        Path routes = yamlJob("s3://some-bucket", "^.*$", src.toString());
        JarProcess.Result result = withoutAwsSetup().run("--once", "--state_dir=" + stateDir, "--routes=" + routes);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(ownLines(result)).as(result.toString()).singleElement().asString().contains("--region", "AWS_REGION");
    }

    @Test
    void dryRunSummaryCountsWhatWouldBeUploadedAndDeleted() throws Exception {
        s3.client.createBucket(r -> r.bucket(bucket));
        s3.client.putObject(r -> r.bucket(bucket).key("gone-1.txt"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
        s3.client.putObject(r -> r.bucket(bucket).key("gone-2.txt"), software.amazon.awssdk.core.sync.RequestBody.fromString("y"));

        JarProcess.Result result = withCredentials().run("--once", "--dry-run", "--endpoint=" + s3.server.endpoint(),
                "--target_container=" + bucket, "--source_prefix=" + src, "--state_dir=" + stateDir, src.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr()).contains("would delete gone-1.txt", "would delete gone-2.txt");
        assertThat(result.stdout()).as(result.toString())
                .contains("autosync (dry run): uploaded 2 files / 11 bytes, deleted 2, unchanged 0, failed 0");
        assertThat(s3.contents(bucket)).containsOnlyKeys("gone-1.txt", "gone-2.txt");
    }

    @Test
    void onceLogsOneLinePerTransferAndDeleteAndPrintsTheSummaryOnStdout() throws Exception {
        s3.client.createBucket(r -> r.bucket(bucket));
        s3.client.putObject(r -> r.bucket(bucket).key("gone.txt"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));

        JarProcess.Result result = withCredentials().run("--once", "--endpoint=" + s3.server.endpoint(),
                "--target_container=" + bucket, "--source_prefix=" + src, "--state_dir=" + stateDir, src.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr()).contains("job1: uploaded a.txt (5 bytes, new)", "job1: uploaded b.txt (6 bytes, new)",
                "job1: deleted gone.txt");
        assertThat(result.stdout()).isEqualTo("autosync: uploaded 2 files / 11 bytes, deleted 1, unchanged 0, failed 0\n");
    }

    @Test
    void continuousModeLogsOneLinePerTransferAndPerDelete() throws Exception {
        JarProcess.Running running = withCredentials().start(continuous());
        try {
            await(running, "job1: uploaded a.txt (5 bytes, new)");
            await(running, "job1: uploaded b.txt (6 bytes, new)");
            Files.writeString(src.resolve("a.txt"), "alpha, again");
            Files.writeString(src.resolve("c.txt"), "charlie");
            Files.delete(src.resolve("b.txt"));
            await(running, "job1: uploaded c.txt (7 bytes, new)");
            await(running, "job1: uploaded a.txt (12 bytes, changed)");
            await(running, "job1: deleted b.txt");
        } finally {
            stop(running);
        }
    }

    @Test
    void quietLogsNoLinePerTransferOrDelete() throws Exception {
        List<String> args = new ArrayList<>(continuous());
        args.add(0, "--quiet");
        JarProcess.Running running = withCredentials().start(args);
        try {
            within(() -> contents().containsKey("b.txt"), running);
            Files.writeString(src.resolve("c.txt"), "charlie");
            Files.delete(src.resolve("b.txt"));
            within(() -> contents().keySet().equals(java.util.Set.of("a.txt", "c.txt")), running);
            String stderr = running.stderrSoFar();
            assertThat(stderr).contains("watching").doesNotContain("uploaded ", "deleted ");
        } finally {
            stop(running);
        }
    }

    @Test
    void embeddedS3StartsOnlyOnceTheOptionsAreValid() throws Exception {
        String[][] mistakes = {
                {"--source_filter=([a-z", src.toString()},
                {work.resolve("nope").toString()},
                {"--target_container=My_Bucket", src.toString()},
        };
        for (String[] mistake : mistakes) {
            List<String> args = new ArrayList<>(List.of("--once", "--embedded-s3=" + work.resolve("s3"),
                    "--state_dir=" + stateDir));
            args.addAll(List.of(mistake));
            assertConfigurationErrorBeforeTheServer(withCredentials().run(args));
        }
    }

    @Test
    void embeddedS3StartsOnlyOnceTheJobsOfTheRoutesAreValid() throws Exception {
        Path[] routes = {
                yamlJob("s3://autosync", "([a-z", src.toString()),
                yamlJob("s3://autosync", "^.*$", work.resolve("nope").toString()),
                yamlJob("s3://My_Bucket", "^.*$", src.toString()),
        };
        for (Path dir : routes) {
            assertConfigurationErrorBeforeTheServer(withCredentials().run("--once",
                    "--embedded-s3=" + work.resolve("s3"), "--state_dir=" + stateDir, "--routes=" + dir));
        }
    }

    private static void assertConfigurationErrorBeforeTheServer(JarProcess.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(ownLines(result)).as(result.toString()).hasSize(1);
        assertThat(result.stdout() + result.stderr()).as(result.toString())
                .doesNotContain("embedded S3 server at", "AWS_SECRET_ACCESS_KEY=");
    }

    private Path yamlJob(String target, String filter, String source) throws IOException {
        Path dir = Files.createTempDirectory(work, "routes");
        Files.writeString(dir.resolve("job.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: autosync-job
                    parameters:
                      - {name: jobId, value: photos}
                      - {name: source, value: "%s"}
                      - {name: target, value: "%s"}
                      - {name: filter, value: "%s"}
                """.formatted(source, target, filter.replace("\\", "\\\\")));
        return dir;
    }

    /** The bucket's keys and contents; empty while it does not exist yet. */
    private java.util.Map<String, String> contents() {
        try {
            return s3.contents(bucket);
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
            return java.util.Map.of();
        }
    }

    private List<String> continuous() {
        return List.of("--endpoint=" + s3.server.endpoint(), "--target_container=" + bucket,
                "--source_prefix=" + src, "--state_dir=" + stateDir, "--settle_time=100ms", "--interval=200ms",
                src.toString());
    }

    private static void await(JarProcess.Running running, String line) throws Exception {
        within(() -> {
            try {
                return running.stderrSoFar().contains(line);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, running);
    }

    private static void within(BooleanSupplier condition, JarProcess.Running running) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !running.process().isAlive()) {
                throw new AssertionError("not seen within 60 s; stderr so far:\n" + running.stderrSoFar());
            }
            Thread.sleep(100);
        }
    }

    private static void stop(JarProcess.Running running) throws Exception {
        running.process().destroy();
        running.process().waitFor(60, TimeUnit.SECONDS);
        running.cleanUp();
    }
}
