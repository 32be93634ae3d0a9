package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.autosync.testing.S3Fixture;
import org.autosync.job.JobSpec;
import org.autosync.job.MirrorJob;
import org.autosync.keys.KeyMapper;
import org.autosync.local.SourceFilter;
import org.autosync.state.MvStoreSyncState;
import org.autosync.targets.s3.S3Actor;
import org.autosync.targets.s3.S3ActorSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML in routes/ instantiates a working job in a plain CamelContext. */
class YamlRoutesTest {

    @TempDir
    Path work;

    @Test
    void defaultJobYamlMirrorsTheSourceAndPicksUpNewFiles() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("first.txt"), "first");
        String bucket = S3Fixture.uniqueBucket("yaml");
        try (S3Fixture s3 = new S3Fixture(work.resolve("server"));
             DefaultCamelContext context = new DefaultCamelContext()) {
            JobSpec spec = new JobSpec("default", source, new KeyMapper(work.toString(), ""), SourceFilter.acceptAll(),
                    false, false, 4, true, Duration.ofMillis(200), Duration.ofHours(1));
            MirrorJob job = new MirrorJob(spec, new S3Actor(s3.client, bucket, S3ActorSettings.defaults()),
                    new MvStoreSyncState(work.resolve("state.mv.db")));
            job.registryBeans().forEach(context.getRegistry()::bind);
            context.addService(job);
            context.getPropertiesComponent().addInitialProperty("autosync.source", source.toString());
            context.getPropertiesComponent().addInitialProperty("autosync.interval", "200");
            context.addRoutes(new MirrorRouteTemplates());
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    PluginHelper.getResourceLoader(context).resolveResource("file:routes/default-job.camel.yaml"));
            context.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> s3.contents(bucket).containsKey("src/first.txt"));
            Files.writeString(source.resolve("second.txt"), "second");
            await().atMost(Duration.ofSeconds(20)).until(() -> s3.contents(bucket).containsKey("src/second.txt"));

            assertThat(s3.contents(bucket)).isEqualTo(Map.of("src/first.txt", "first", "src/second.txt", "second"));
            assertThat(context.getRoutes()).extracting(r -> r.getRouteId()).contains("autosync-scan-default",
                    "autosync-upload-default", "autosync-reconcile-timer-default");
        }
    }
}
