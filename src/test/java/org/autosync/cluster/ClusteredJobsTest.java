package org.autosync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.autosync.job.JobHealth;
import org.autosync.job.MirrorJob;
import org.autosync.routes.AutosyncJobs;
import org.autosync.routes.JobTemplate;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clustered jobs defined in YAML, in two plain CamelContexts of this JVM standing for two nodes: each has its own S3
 * endpoint over ONE store, so what each sends is counted apart. The lock files are camel-file's file lock.
 */
class ClusteredJobsTest {

    @TempDir
    Path work;
    private final CamelContext[] nodes = new CamelContext[2];
    private S3Fixture[] servers;

    @AfterEach
    void stop() throws Exception {
        for (CamelContext node : nodes) {
            if (node != null) {
                node.close();
            }
        }
        if (servers != null) {
            for (S3Fixture s : servers) {
                s.close();
            }
        }
    }

    private CamelContext node(int i, S3Fixture s3, String yaml) throws Exception {
        return node(i, s3, yaml, new DefaultCamelContext());
    }

    private final MeterRegistry[] meters = {new SimpleMeterRegistry(), new SimpleMeterRegistry()};

    private CamelContext node(int i, S3Fixture s3, String yaml, CamelContext context) throws Exception {
        context.getRegistry().bind("metricsRegistry", meters[i]);
        context.getRegistry().bind(JobTemplate.S3_DEFAULTS, s3.defaults());
        context.getPropertiesComponent().addInitialProperty(JobTemplate.STATE_DIR, work.resolve("state-" + i).toString());
        AutosyncJobs.addTemplates(context);
        Path file = work.resolve("node-" + i + ".camel.yaml");
        Files.writeString(file, yaml);
        PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context).resolveResource("file:" + file));
        nodes[i] = context;
        return context;
    }

    private String job(Path source, String cluster) {
        return """
                - templatedRoute:
                    routeTemplateRef: autosync-job
                    parameters:
                      - {name: jobId, value: shared}
                      - {name: source, value: "%s"}
                      - {name: target, value: "s3://clustered"}
                      - {name: settleTime, value: 0}
                      - {name: interval, value: 200ms}
                      - {name: cluster, value: "%s"}
                """.formatted(source, cluster);
    }

    private double standby(int node) {
        return meters[node].get("autosync.standby").tag("job", "shared").gauge().value();
    }

    private static long requests(S3Fixture s3) {
        return s3.store.requestCounts().values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void onlyTheLeaderOfTwoNodesSendsAndTheStandbyTakesOverWhenTheLeaderStops() throws Exception {
        Path storage = Files.createDirectories(work.resolve("s3"));
        servers = new S3Fixture[] {new S3Fixture(storage), new S3Fixture(storage)};
        Path source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("a.txt"), "a");
        String cluster = "file:" + work.resolve("locks") + "?acquireLockInterval=400ms";

        node(0, servers[0], job(source, cluster)).start();
        MirrorJob first = AutosyncJobs.job(nodes[0], "shared");
        await().atMost(Duration.ofSeconds(30)).until(first::firstPassDone);
        node(1, servers[1], job(source, cluster)).start();
        MirrorJob second = AutosyncJobs.job(nodes[1], "shared");
        Files.writeString(source.resolve("b.txt"), "b");
        await().atMost(Duration.ofSeconds(30)).until(() -> servers[0].contents("clustered").size() == 2);

        assertThat(first.leading()).isTrue();
        assertThat(second.leading()).isFalse();
        assertThat(second.health().status()).isEqualTo(JobHealth.Status.STANDBY);
        HealthCheck.Result standbyHealth = HealthCheckHelper.invokeReadiness(nodes[1]).stream()
                .filter(r -> r.getCheck().getId().equals("autosync-shared")).findFirst().orElseThrow();
        assertThat(standbyHealth.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(standbyHealth.getMessage()).hasValue("standby: another node leads the job");
        assertThat(standby(0)).isZero();
        assertThat(standby(1)).isEqualTo(1);
        assertThat(requests(servers[1])).as("requests of the standby").isZero();
        assertThat(Files.exists(work.resolve("locks/autosync-shared"))).isTrue();

        nodes[0].close();
        nodes[0] = null;
        Files.writeString(source.resolve("c.txt"), "c");
        await().atMost(Duration.ofSeconds(30)).until(() -> servers[1].contents("clustered").size() == 3);

        assertThat(second.leading()).isTrue();
        assertThat(standby(1)).isZero();
        assertThat(servers[1].contents("clustered")).isEqualTo(Map.of("a.txt", "a", "b.txt", "b", "c.txt", "c"));
        // the new leader adopted what was there (equal MD5) and uploaded only the new file
        assertThat(servers[1].store.requestCounts()).containsEntry("PUT", 1L);
    }

    @Test
    void aClusterServiceTheRuntimeHasIsUsedInsteadOfMakingOne() throws Exception {
        servers = new S3Fixture[] {new S3Fixture()};
        Path source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("a.txt"), "a");
        FileLockClusterService own = new FileLockClusterService();
        own.setRoot(work.resolve("integrator-locks").toString());
        own.setAcquireLockInterval(500, java.util.concurrent.TimeUnit.MILLISECONDS);
        CamelContext integrators = new DefaultCamelContext();
        integrators.getRegistry().bind("myCluster", own);
        CamelContext context = node(0, servers[0], job(source, "context"), integrators);
        context.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> servers[0].contents("clustered").size() == 1);
        assertThat(context.hasServices(CamelClusterService.class)).containsExactly(own);
        assertThat(Files.exists(work.resolve("integrator-locks/autosync-shared"))).isTrue();
    }

    @Test
    void aOneShotRunRefusesTheClusterParameterInOneLine() throws Exception {
        servers = new S3Fixture[] {new S3Fixture()};
        Path source = Files.createDirectories(work.resolve("src"));
        CamelContext context = new DefaultCamelContext();
        nodes[0] = context;
        context.getRegistry().bind(JobTemplate.S3_DEFAULTS, servers[0].defaults());
        context.getPropertiesComponent().addInitialProperty(JobTemplate.ONCE, "true");
        context.start();

        assertThatThrownBy(() -> AutosyncJobs.add(context, Map.of("jobId", "once", "source", source.toString(),
                "target", "s3://clustered", "cluster", "file:" + work.resolve("locks"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("job once: parameter 'cluster': not with a one-shot run (--once), which would "
                        + "mirror on every node; run the job continuously on each node");
        assertThatThrownBy(() -> AutosyncJobs.add(context, Map.of("jobId", "bad", "source", source.toString(),
                "target", "s3://clustered", "cluster", "zookeeper:nohost")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("job bad: parameter 'cluster': 'zookeeper:nohost': 'nohost' is not HOST:PORT");
    }
}
