package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.autosync.embedded.EmbeddedS3;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The jar running jobs from YAML routes and from its properties file, beside the job of its flags. */
class JobsJarIT {

    @RegisterExtension
    static final S3Fixture fixture = new S3Fixture();
    private static final EmbeddedS3 s3 = fixture.server;

    @TempDir
    Path work;

    private JarProcess autosync(Path dir) {
        return new JarProcess().in(dir)
                .env("AWS_ACCESS_KEY_ID", s3.accessKey()).env("AWS_SECRET_ACCESS_KEY", s3.secretKey())
                .env("AWS_REGION", s3.region());
    }

    @Test
    void withoutSourceTheJobsOfTheRoutesDirectoryRun() throws Exception {
        Path project = Path.of(".").toAbsolutePath().normalize();
        long javaFiles;
        try (Stream<Path> walk = Files.walk(project.resolve("src/main/java"))) {
            javaFiles = walk.filter(p -> p.toString().endsWith(".java")).count();
        }

        JarProcess.Result r = autosync(project).run("--once", "--endpoint=" + s3.endpoint(), "--state_dir=" + work.resolve("state"));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout())
                .contains("autosync: java-sources s3://autosync at " + s3.endpoint() + ": in sync, uploaded " + javaFiles + " files")
                .contains("autosync: java-sources-copy s3://autosync-copy at " + s3.endpoint() + ": in sync, uploaded " + javaFiles + " files")
                .contains("autosync: total over 2 jobs: uploaded " + 2 * javaFiles + " files");
        assertThat(fixture.contents("autosync")).hasSize((int) javaFiles)
                .containsKey("examples/java/org/autosync/cli/Autosync.java");
        assertThat(fixture.client.headObject(b -> b.bucket("autosync").key("examples/java/org/autosync/cli/Autosync.java"))
                .contentType()).isEqualTo("text/x-java-source; charset=utf-8");
    }

    @Test
    void jobsOfThePropertiesFileRunBesideTheJobOfTheFlags() throws Exception {
        Path a = Files.createDirectories(work.resolve("a"));
        Path b = Files.createDirectories(work.resolve("b"));
        Path c = Files.createDirectories(work.resolve("c"));
        Files.writeString(a.resolve("one.txt"), "1");
        Files.writeString(b.resolve("two.txt"), "22");
        Files.writeString(c.resolve("three.txt"), "333");
        Files.writeString(work.resolve("application.properties"), """
                camel.route-template[alpha].template-id=autosync-job
                camel.route-template[alpha].jobId=alpha
                camel.route-template[alpha].source=a
                camel.route-template[alpha].target=s3://props/alpha
                camel.route-template[beta].template-id=autosync-job
                camel.route-template[beta].job-id=beta
                camel.route-template[beta].source=%s
                camel.route-template[beta].target=s3://props/beta
                camel.route-template[beta].max-delete=5
                """.formatted(b));
        List<String> args = List.of("--once", "--endpoint=" + s3.endpoint(), "--state_dir=" + work.resolve("state"),
                "--target_container=flags", "--source_prefix=" + c, "c");

        JarProcess.Result first = autosync(work).run(args);

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdout())
                .contains("autosync: command-line s3://flags at " + s3.endpoint() + ": in sync, uploaded 1 files / 3 bytes")
                .contains("autosync: alpha s3://props at " + s3.endpoint() + ": in sync, uploaded 1 files / 1 bytes")
                .contains("autosync: beta s3://props at " + s3.endpoint() + ": in sync, uploaded 1 files / 2 bytes")
                .contains("autosync: total over 3 jobs: uploaded 3 files / 6 bytes");
        assertThat(fixture.contents("props")).containsOnlyKeys("alpha/one.txt", "beta/two.txt");
        assertThat(fixture.contents("flags")).containsOnlyKeys("three.txt");
        try (Stream<Path> states = Files.list(work.resolve("state"))) {
            assertThat(states.filter(p -> p.toString().endsWith(".mv.db"))).hasSize(3);
        }

        JarProcess.Result again = autosync(work).run(args);

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stdout()).contains("autosync: total over 3 jobs: uploaded 0 files / 0 bytes, deleted 0, unchanged 3");
    }

    @Test
    void aBadJobParameterIsAConfigurationErrorNamingJobAndParameter() throws Exception {
        Files.createDirectories(work.resolve("routes"));
        Files.writeString(work.resolve("routes/bad.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: autosync-job
                    parameters:
                      - {name: jobId, value: bad}
                      - {name: source, value: "."}
                      - {name: target, value: "s3://bkt"}
                      - {name: interval, value: "soon"}
                """);

        JarProcess.Result r = autosync(work).run("--once", "--endpoint=" + s3.endpoint());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("job bad: parameter 'interval': 'soon' is not a duration");
    }

    @Test
    void withoutSourceAndWithoutJobsNothingRuns() throws Exception {
        JarProcess.Result r = autosync(work).run("--once", "--endpoint=" + s3.endpoint());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("nothing to mirror");

        Files.createDirectories(work.resolve("routes"));
        Files.writeString(work.resolve("routes/no-jobs.camel.yaml"), """
                - route:
                    from:
                      uri: direct:unrelated
                      steps:
                        - log: hello
                """);
        JarProcess.Result empty = autosync(work).run("--once", "--endpoint=" + s3.endpoint());

        assertThat(empty.exitCode()).as(empty.toString()).isEqualTo(2);
        assertThat(empty.stderr()).contains("nothing to mirror: no SOURCE was given, and the routes and properties define no job");
    }
}
