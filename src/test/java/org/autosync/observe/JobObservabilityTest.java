package org.autosync.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.routes.AutosyncJobs;
import org.autosync.routes.JobTemplate;
import org.autosync.routes.MirrorRouteTemplates;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A job of the autosync-job template against a real S3 server, watched through its health check and its meters. */
class JobObservabilityTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;
    private CamelContext context;
    private final MeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void healthGoesUpAfterTheFirstPassAndDownWithTheReasonWhenARailTrips() throws Exception {
        Path source = Files.createDirectories(work.resolve("photos"));
        Map<String, Integer> sizes = Map.of("a.jpg", 1000, "b.jpg", 2500, "c.jpg", 7, "d.jpg", 40_000);
        for (Map.Entry<String, Integer> file : sizes.entrySet()) {
            Files.write(source.resolve(file.getKey()), new byte[file.getValue()]);
        }
        CountDownLatch firstUploadsHeld = new CountDownLatch(1);
        startJob(source, S3Fixture.uniqueBucket("observe"), firstUploadsHeld);

        // the first pass is under way (its uploads wait in the before-upload hook): not ready, but alive
        await().atMost(Duration.ofSeconds(30)).until(() -> readiness().getMessage().isPresent());
        assertThat(readiness().getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(readiness().getMessage()).hasValue("initial sync of photos not done yet");
        assertThat(liveness().getState()).isEqualTo(HealthCheck.State.UP);

        firstUploadsHeld.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> readiness().getState() == HealthCheck.State.UP);
        assertThat(counter("autosync.uploaded.files")).isEqualTo(sizes.size());
        assertThat(counter("autosync.uploaded.bytes")).isEqualTo(sizes.values().stream().mapToInt(Integer::intValue).sum());
        assertThat(passes("complete")).isEqualTo(1);
        assertThat(gauge("autosync.healthy")).isEqualTo(1);
        assertThat(gauge("autosync.pending.files")).isZero();

        Files.delete(source.resolve("a.jpg"));
        reconcile();
        assertThat(counter("autosync.deleted.objects")).isEqualTo(1);
        assertThat(passes("complete")).isEqualTo(2);

        // every remaining file gone at once: over --max_delete (50%), nothing is deleted and the job says why
        for (String name : new String[] {"b.jpg", "c.jpg", "d.jpg"}) {
            Files.delete(source.resolve(name));
        }
        reconcile();
        assertThat(readiness().getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(readiness().getMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("RAIL_TRIPPED: "));
        assertThat(liveness().getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(counter("autosync.deleted.objects")).isEqualTo(1);
        assertThat(passes("rail_tripped")).isEqualTo(1);
        assertThat(gauge("autosync.healthy")).isZero();
        assertThat(counter("autosync.failures")).isZero();
    }

    @Test
    void removingAJobRemovesItsHealthCheckAndMeters() throws Exception {
        Path source = Files.createDirectories(work.resolve("docs"));
        Files.writeString(source.resolve("readme.txt"), "hello");
        startJob(source, S3Fixture.uniqueBucket("observe"), new CountDownLatch(0));
        await().atMost(Duration.ofSeconds(30)).until(() -> readiness().getState() == HealthCheck.State.UP);

        AutosyncJobs.remove(context, "photos");

        assertThat(HealthCheckHelper.invokeReadiness(context)).noneMatch(r -> r.getCheck().getId().equals("autosync-photos"));
        assertThat(meters.find("autosync.uploaded.files").tag("job", "photos").functionCounter()).isNull();
    }

    @Test
    void aPassThatOutlivesItsProgressIntervalLogsFilesAndBytesOfTheCountedTotal() throws Exception {
        Path source = Files.createDirectories(work.resolve("photos"));
        for (int i = 0; i < 4; i++) {
            Files.write(source.resolve("p" + i + ".jpg"), new byte[1024]);
        }
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger progress = (Logger) LoggerFactory.getLogger(ProgressReporter.class);
        progress.addAppender(log);
        CountDownLatch uploadsHeld = new CountDownLatch(1);
        try {
            startJob(source, S3Fixture.uniqueBucket("observe"), uploadsHeld, "progressInterval", "200ms");

            // held uploads keep the pass running: the count of its work comes in and the line shows the total
            await().atMost(Duration.ofSeconds(30)).until(() -> List.copyOf(log.list).stream()
                    .anyMatch(e -> e.getFormattedMessage().equals("photos: 0/4 files, 0 B/4.0 KiB, 0 B/s")));
        } finally {
            uploadsHeld.countDown();
            progress.detachAppender(log);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> readiness().getState() == HealthCheck.State.UP);
        assertThat(counter("autosync.uploaded.files")).isEqualTo(4);
    }

    private void startJob(Path source, String bucket, CountDownLatch uploadsHeld, String... moreParameters)
            throws Exception {
        context = new DefaultCamelContext();
        context.getRegistry().bind(JobTemplate.S3_DEFAULTS, s3.defaults());
        context.getRegistry().bind("metricsRegistry", meters);
        context.getPropertiesComponent().addInitialProperty(JobTemplate.STATE_DIR, work.resolve("state").toString());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(MirrorRouteTemplates.beforeUploadUri("photos"))
                        .process(exchange -> uploadsHeld.await(30, TimeUnit.SECONDS));
            }
        });
        Map<String, String> parameters = new HashMap<>(Map.of("jobId", "photos", "source", source.toString(),
                "target", "s3://" + bucket, "watch", "poll", "interval", "1h", "reconcileInterval", "1h", "settleTime", "0"));
        for (int i = 0; i < moreParameters.length; i += 2) {
            parameters.put(moreParameters[i], moreParameters[i + 1]);
        }
        AutosyncJobs.add(context, parameters);
        context.start();
    }

    private void reconcile() {
        context.createProducerTemplate().requestBody(MirrorRouteTemplates.reconcileUri("photos"), (Object) null);
    }

    private HealthCheck.Result readiness() {
        return HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("autosync-photos")).findFirst().orElseThrow();
    }

    private HealthCheck.Result liveness() {
        return HealthCheckHelper.invokeLiveness(context).stream()
                .filter(r -> r.getCheck().getId().equals("autosync-photos")).findFirst().orElseThrow();
    }

    private double counter(String name) {
        return meters.get(name).tag("job", "photos").functionCounter().count();
    }

    private double passes(String outcome) {
        return meters.get("autosync.passes").tag("job", "photos").tag("outcome", outcome).functionCounter().count();
    }

    private double gauge(String name) {
        return meters.get(name).tag("job", "photos").gauge().value();
    }
}
