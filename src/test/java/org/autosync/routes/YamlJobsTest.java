package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.autosync.job.MirrorJob;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Jobs defined in YAML ({@code templatedRoute} of {@code autosync-job}) in a plain CamelContext, as an integrator
 * runs them in their own runtime: Autosync's main class is not involved. The storage is a real S3 server.
 */
class YamlJobsTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;
    private CamelContext context;

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    /** A plain context with Autosync's templates, the test server as default S3 service and a state dir of its own. */
    private CamelContext plainContext() throws Exception {
        context = new DefaultCamelContext();
        context.getRegistry().bind(JobTemplate.S3_DEFAULTS, s3.defaults());
        context.getPropertiesComponent().addInitialProperty(JobTemplate.STATE_DIR, work.resolve("state").toString());
        AutosyncJobs.addTemplates(context);
        return context;
    }

    private void loadYaml(Path file) throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(
                PluginHelper.getResourceLoader(context).resolveResource("file:" + file));
    }

    @Test
    void theExampleRoutesMirrorIntoTwoTargetsInAPlainCamelContext() throws Exception {
        plainContext();
        try (Stream<Path> examples = Files.list(Path.of("routes"))) {
            for (Path yaml : examples.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList()) {
                loadYaml(yaml.toAbsolutePath());
            }
        }
        context.start();

        Map<String, String> javaFiles = javaSources();
        await().atMost(Duration.ofSeconds(60)).until(() -> keys("autosync").size() == javaFiles.size()
                && keys("autosync-copy").size() == javaFiles.size());

        assertThat(s3.contents("autosync")).isEqualTo(prefixed("examples/java/", javaFiles));
        assertThat(s3.contents("autosync-copy")).isEqualTo(prefixed("java/", javaFiles));
        // the step of routes/java-sources.camel.yaml ran for that job's uploads, and only for them
        String someFile = javaFiles.keySet().iterator().next();
        HeadObjectResponse stepped = s3.client.headObject(b -> b.bucket("autosync").key("examples/java/" + someFile));
        assertThat(stepped.contentType()).isEqualTo("text/x-java-source; charset=utf-8");
        assertThat(stepped.storageClassAsString()).isEqualTo("STANDARD_IA");
        HeadObjectResponse plain = s3.client.headObject(b -> b.bucket("autosync-copy").key("java/" + someFile));
        assertThat(plain.contentType()).isNotEqualTo("text/x-java-source; charset=utf-8");
        // two independent jobs, each with its own sync state
        assertThat(AutosyncJobs.jobs(context)).extracting(MirrorJob::id)
                .containsExactlyInAnyOrder("java-sources", "java-sources-copy");
        try (Stream<Path> states = Files.list(work.resolve("state"))) {
            assertThat(states.filter(p -> p.toString().endsWith(".mv.db")).count()).isEqualTo(2);
        }
    }

    @Test
    void aStepAddedInYamlAppliesToUploadsFromReconciliationWatcherAndFileRoute() throws Exception {
        Path watched = Files.createDirectories(work.resolve("watched"));
        Path polled = Files.createDirectories(work.resolve("polled"));
        Files.writeString(watched.resolve("before-start.txt"), "present at start");
        Path yaml = work.resolve("jobs.camel.yaml");
        // job "watched" reacts to events only (re-scan and reconciliation hourly); job "polled" only re-scans
        Files.writeString(yaml, """
                - templatedRoute:
                    routeTemplateRef: autosync-job
                    parameters:
                      - {name: jobId, value: watched}
                      - {name: source, value: "%s"}
                      - {name: target, value: "s3://hooked/watched"}
                      - {name: settleTime, value: 100ms}
                      - {name: interval, value: 1h}
                      - {name: reconcileInterval, value: 1h}
                - templatedRoute:
                    routeTemplateRef: autosync-job
                    parameters:
                      - {name: jobId, value: polled}
                      - {name: source, value: "%s"}
                      - {name: target, value: "s3://hooked/polled"}
                      - {name: settleTime, value: "0"}
                      - {name: watch, value: poll}
                      - {name: interval, value: 300ms}
                      - {name: reconcileInterval, value: 1h}
                - route:
                    from:
                      uri: direct:autosync-before-upload-watched
                      steps:
                        - setHeader:
                            name: Content-Type
                            simple: "text/x-hooked; via=${header.AutosyncReason}"
                - route:
                    from:
                      uri: direct:autosync-before-upload-polled
                      steps:
                        - setHeader:
                            name: Content-Type
                            simple: "text/x-hooked; via=${header.AutosyncReason}"
                """.formatted(watched, polled));
        plainContext();
        loadYaml(yaml);
        context.start();

        // the first reconciliation pass uploads what was there at start
        await().atMost(Duration.ofSeconds(30)).until(() -> keys("hooked").contains("watched/before-start.txt"));
        MirrorJob watchedJob = AutosyncJobs.job(context, "watched");
        await().atMost(Duration.ofSeconds(30)).until(watchedJob::watching);
        // with no re-scan and no reconciliation for an hour, only the watcher can upload this one
        Files.writeString(watched.resolve("after-start.txt"), "seen by inotify");
        // the polled job has no watcher, and its re-scan starts once its first pass is over: after that, only
        // the file route (re-scan) can upload this one
        await().atMost(Duration.ofSeconds(30)).until(() -> context.getRouteController()
                .getRouteStatus("autosync-scan-polled").isStarted());
        Files.writeString(polled.resolve("rescanned.txt"), "found by the re-scan");

        await().atMost(Duration.ofSeconds(30)).until(() -> keys("hooked").containsAll(
                List.of("watched/after-start.txt", "polled/rescanned.txt")));
        assertThat(contentType("watched/before-start.txt")).isEqualTo("text/x-hooked; via=new");
        assertThat(contentType("watched/after-start.txt")).as("the watcher gives the upload rule's reason")
                .isEqualTo("text/x-hooked; via=new");
        // the file route sets no reason: the step still ran
        assertThat(contentType("polled/rescanned.txt")).isEqualTo("text/x-hooked; via=");
        assertThat(s3.contents("hooked")).containsEntry("watched/after-start.txt", "seen by inotify")
                .containsEntry("polled/rescanned.txt", "found by the re-scan");
    }

    @Test
    void aJobIsAddedAndRemovedAtRuntimeFromItsParameters() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("a.txt"), "a");
        plainContext().start();

        String route = AutosyncJobs.add(context, Map.of("jobId", "runtime", "source", source.toString(),
                "target", "s3://runtime/x", "reconcile-interval", "1h"));

        assertThat(route).isEqualTo("autosync-reconcile-runtime");
        await().atMost(Duration.ofSeconds(30)).until(() -> keys("runtime").contains("x/a.txt"));
        assertThat(context.getRoutes()).extracting(r -> r.getRouteId()).contains("autosync-upload-runtime",
                "autosync-delete-runtime", "autosync-scan-runtime", "autosync-reconcile-timer-runtime");

        AutosyncJobs.remove(context, "runtime");

        assertThat(context.getRoutes()).extracting(r -> r.getRouteId()).noneMatch(id -> id.endsWith("-runtime"));
        assertThat(AutosyncJobs.job(context, "runtime")).isNull();
        // removing a job deletes nothing in the target
        assertThat(keys("runtime")).containsExactly("x/a.txt");
    }

    @Test
    void badParametersAreRefusedNamingTheJobAndTheParameter() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        plainContext().start();

        assertThatThrownBy(() -> AutosyncJobs.add(context, Map.of("jobId", "j1", "source", source.toString(),
                "target", "s3://bkt", "interval", "10x")))
                .hasMessageContaining("job j1: parameter 'interval': '10x' is not a duration");
        assertThatThrownBy(() -> AutosyncJobs.add(context, Map.of("jobId", "j2", "source", source.toString(),
                "target", "s3://bkt", "sourcePrefx", "/")))
                .hasMessageContaining("job j2: unknown parameter 'sourcePrefx'");
        assertThatThrownBy(() -> AutosyncJobs.add(context, Map.of("jobId", "j3", "source", work.resolve("missing").toString(),
                "target", "s3://bkt")))
                .hasMessageContaining("job j3: parameter 'source': ").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> AutosyncJobs.add(context, Map.of("jobId", "j4", "source", source.toString(),
                "target", "ftp://b")))
                .hasMessageContaining("job j4: parameter 'target': invalid target 'ftp://b'");
        assertThatThrownBy(() -> AutosyncJobs.add(context, Map.of("jobId", "j5", "source", source.toString(),
                "target", "s3://bkt", "filter", "(")))
                .hasMessageContaining("job j5: parameter 'filter'");
        assertThatThrownBy(() -> AutosyncJobs.add(context, Map.of("jobId", "j6", "source", source.toString())))
                .hasMessageContaining("job j6: parameter 'target': give exactly one of target");
        assertThatThrownBy(() -> AutosyncJobs.add(context, Map.of("jobId", "j7", "source", source.toString(),
                "target", "s3://My_Bucket")))
                .hasMessageContaining("job j7: parameter 'target': invalid bucket name 'My_Bucket'");
        assertThatThrownBy(() -> AutosyncJobs.add(context, Map.of("jobId", "j8", "source", source.toString(),
                "target", "s3://bkt", "partSize", "1MiB")))
                .hasMessageContaining("job j8: parameter 'partSize': must be between 5MiB and 5GiB");
        assertThat(AutosyncJobs.jobs(context)).isEmpty();
    }

    private String contentType(String key) {
        return s3.client.headObject(b -> b.bucket("hooked").key(key)).contentType();
    }

    private List<String> keys(String bucket) {
        try {
            return s3.client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).toList();
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
            return List.of();
        }
    }

    /** The .java files under src/main/java, by path relative to it, with their content. */
    private static Map<String, String> javaSources() throws IOException {
        Path root = Path.of("src/main/java");
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                files.put(root.relativize(p).toString().replace('\\', '/'), Files.readString(p));
            }
        }
        return files;
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> files) {
        Map<String, String> result = new TreeMap<>();
        files.forEach((k, v) -> result.put(prefix + k, v));
        return result;
    }
}
