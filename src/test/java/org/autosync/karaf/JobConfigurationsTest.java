package org.autosync.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.routes.AutosyncJobs;
import org.autosync.routes.JobTemplate;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Karaf configurations of the factory PID {@code org.autosync} as ConfigAdmin hands them to the bundle (the
 * properties fileinstall reads from {@code etc/org.autosync-NAME.cfg}, plus the keys it and ConfigAdmin add), made
 * into jobs of a plain CamelContext that mirror into a real S3 server. The OSGi glue ({@link Activator}) only passes
 * these calls on and is not run here.
 */
class JobConfigurationsTest {

    private static final String FILE = "felix.fileinstall.filename";

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;
    private CamelContext context;
    private JobConfigurations configurations;

    /** What ConfigAdmin and fileinstall add to the properties of etc/org.autosync-NAME.cfg. */
    private static Map<String, Object> fromFile(String name, Map<String, Object> cfg) {
        Map<String, Object> properties = new HashMap<>(cfg);
        properties.put("service.pid", "org.autosync~" + name);
        properties.put("service.factoryPid", "org.autosync");
        properties.put(FILE, "file:/opt/karaf/etc/org.autosync-" + name + ".cfg");
        return properties;
    }

    @Test
    void theJobIsNamedAfterTheFileAndFrameworkKeysAreNotParameters() {
        Map<String, Object> parameters = JobConfigurations.parameters("org.autosync~my-photos",
                fromFile("my-photos", Map.of("source", "/srv/photos", "target", "s3://photos")));

        assertThat(parameters).containsExactlyInAnyOrderEntriesOf(
                Map.of("jobId", "my-photos", "source", "/srv/photos", "target", "s3://photos"));
    }

    @Test
    void theFileNameDecidesWhateverPidConfigAdminChose() {
        // a ConfigAdmin without named factory configurations makes up the PID
        Map<String, Object> properties = fromFile("photos", Map.of());
        properties.put("service.pid", "org.autosync.6f1c0e4a-3d2b-4c9e-9b55-0c1d2e3f4a5b");

        assertThat(JobConfigurations.jobId("org.autosync.6f1c0e4a-3d2b-4c9e-9b55-0c1d2e3f4a5b", properties))
                .isEqualTo("photos");
    }

    @Test
    void aGivenJobIdWins() {
        assertThat(JobConfigurations.jobId("org.autosync~photos", fromFile("photos", Map.of("jobId", " camera "))))
                .isEqualTo("camera");
    }

    @Test
    void aNamedFactoryConfigurationWithoutFileIsNamedAfterItsPid() {
        assertThat(JobConfigurations.jobId("org.autosync~photos", Map.of("source", "/srv"))).isEqualTo("photos");
    }

    @Test
    void aConfigurationWithoutAnyNameIsRefused() {
        assertThatThrownBy(() -> JobConfigurations.parameters("org.autosync.6f1c0e4a", Map.of("source", "/srv")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("org.autosync.6f1c0e4a").hasMessageContaining("jobId");
    }

    @Test
    void typedValuesBecomeText() {
        // fileinstall's typed syntax: threads = I"4", excludeTemp = ["*.part","*.tmp"]
        Map<String, Object> parameters = JobConfigurations.parameters("org.autosync~p", fromFile("p",
                Map.of("threads", 4, "excludeTemp", new String[] {"*.part", "*.tmp"}, "filter", List.of("^/srv/.*"))));

        assertThat(parameters).containsEntry("threads", "4").containsEntry("excludeTemp", "*.part,*.tmp")
                .containsEntry("filter", "^/srv/.*");
    }

    @Test
    void aMistypedKeyIsNotTakenForAFrameworkKey() {
        assertThat(JobConfigurations.parameters("org.autosync~p", fromFile("p", Map.of("settle.time", "1s"))))
                .containsEntry("settle.time", "1s");
    }

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    /** A plain context like the bundle's: the test server as default S3 service, state in the work dir. */
    private void start() throws Exception {
        context = new DefaultCamelContext();
        context.getRegistry().bind(JobTemplate.S3_DEFAULTS, s3.defaults());
        context.getPropertiesComponent().addInitialProperty(JobTemplate.STATE_DIR, work.resolve("state").toString());
        AutosyncJobs.addTemplates(context);
        context.start();
        configurations = new JobConfigurations(context);
    }

    private List<String> routesOf(String jobId) {
        return context.getRoutes().stream().map(Route::getRouteId).filter(id -> id.endsWith("-" + jobId)).toList();
    }

    @Test
    void aConfigurationStartsAJobAnUpdateReplacesItAndDeletingItRemovesIt() throws Exception {
        Path photos = Files.createDirectories(work.resolve("photos/2024"));
        Files.writeString(photos.resolve("a.jpg"), "a");
        Files.writeString(work.resolve("photos/b.jpg"), "b");
        start();

        configurations.update("org.autosync~photos", fromFile("photos", Map.of(
                "source", work.resolve("photos").toString(), "target", "s3://karaf/backup",
                "settleTime", "0", "reconcileInterval", "1h")));

        await().atMost(Duration.ofSeconds(30)).until(() -> s3.contents("karaf").size() == 2);
        assertThat(s3.contents("karaf")).isEqualTo(Map.of("backup/2024/a.jpg", "a", "backup/b.jpg", "b"));
        assertThat(configurations.jobOf("org.autosync~photos")).isEqualTo("photos");
        assertThat(AutosyncJobs.job(context, "photos").spec().settleTime()).isZero();
        List<String> routes = routesOf("photos");
        assertThat(routes).contains("autosync-reconcile-photos", "autosync-upload-photos");

        // the file is edited: the job is made anew from the new properties
        configurations.update("org.autosync~photos", fromFile("photos", Map.of(
                "source", work.resolve("photos").toString(), "target", "s3://karaf/v2",
                "settleTime", "0", "reconcileInterval", "1h", "filter", ".*/2024/.*")));

        await().atMost(Duration.ofSeconds(30)).until(() -> s3.contents("karaf").containsKey("v2/2024/a.jpg"));
        assertThat(AutosyncJobs.jobs(context)).hasSize(1);
        assertThat(AutosyncJobs.job(context, "photos").spec().mapper().targetPrefix()).isEqualTo("v2/");
        assertThat(routesOf("photos")).containsExactlyInAnyOrderElementsOf(routes);

        configurations.remove("org.autosync~photos");

        assertThat(AutosyncJobs.jobs(context)).isEmpty();
        assertThat(routesOf("photos")).isEmpty();
        assertThat(configurations.jobOf("org.autosync~photos")).isNull();
        // removing the job deleted nothing in the bucket
        assertThat(s3.contents("karaf")).containsOnlyKeys("backup/2024/a.jpg", "backup/b.jpg", "v2/2024/a.jpg");
    }

    @Test
    void anInvalidConfigurationNamesTheParameterAndStopsTheJobItHad() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        Map<String, Object> valid = fromFile("docs", Map.of(
                "source", source.toString(), "target", "s3://karaf-docs", "reconcileInterval", "1h"));
        start();
        configurations.update("org.autosync~docs", valid);
        assertThat(AutosyncJobs.job(context, "docs")).isNotNull();

        assertThatThrownBy(() -> configurations.update("org.autosync~docs", fromFile("docs", Map.of(
                "source", source.toString(), "target", "s3://karaf-docs", "interval", "10x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job docs: parameter 'interval': '10x' is not a duration");

        assertThat(AutosyncJobs.jobs(context)).isEmpty();
        assertThat(routesOf("docs")).isEmpty();
        // a later valid edit brings it back
        configurations.update("org.autosync~docs", valid);
        assertThat(AutosyncJobs.job(context, "docs")).isNotNull();
    }

    @Test
    void twoConfigurationsCannotNameTheSameJob() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        start();
        configurations.update("org.autosync~a", fromFile("a", Map.of(
                "source", source.toString(), "target", "s3://karaf-a", "reconcileInterval", "1h")));

        assertThatThrownBy(() -> configurations.update("org.autosync~b", fromFile("b", Map.of(
                "jobId", "a", "source", source.toString(), "target", "s3://karaf-b"))))
                .hasMessageContaining("job a exists already");

        // the first configuration's job is untouched
        assertThat(configurations.jobOf("org.autosync~a")).isEqualTo("a");
        assertThat(configurations.jobOf("org.autosync~b")).isNull();
        assertThat(AutosyncJobs.job(context, "a").spec().mapper().targetPrefix()).isEmpty();
    }
}
