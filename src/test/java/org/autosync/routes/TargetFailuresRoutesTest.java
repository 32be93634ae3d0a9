package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.job.JobHealth;
import org.autosync.job.MirrorJob;
import org.autosync.job.MirrorStats;
import org.autosync.job.TargetBreaker;
import org.autosync.safety.DeletePolicy;
import org.autosync.targets.Actor;
import org.autosync.targets.ForwardingActor;
import org.autosync.targets.Upload;
import org.autosync.targets.s3.S3Actor;
import org.autosync.targets.s3.S3ActorSettings;
import org.autosync.testing.CountingBlobStore;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * How a job's routes meet a failing target, against a real S3 server: a permanent error is sent once per file and
 * logged once; a target that goes away is backed off as a whole (the breaker), reported, and caught up with once it is
 * back; a failed pass is logged once.
 */
class TargetFailuresRoutesTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;
    private Path source;
    private CamelContext context;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLog() throws IOException {
        source = Files.createDirectories(work.resolve("src"));
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void stop() throws Exception {
        root.detachAppender(log);
        s3.server.restart(); // in case a test left it stopped
        if (context != null) {
            context.close();
        }
    }

    private MirrorJob job(Actor actor, boolean continuous) throws IOException {
        return s3.job(source, "m", Files.createDirectories(work.resolve("state")), continuous, DeletePolicy.defaults(),
                Duration.ZERO, actor);
    }

    private void start(MirrorJob job) throws Exception {
        context = new DefaultCamelContext();
        context.getRegistry().bind("metricsRegistry", meters);
        context.start();
        AutosyncJobs.add(context, job);
    }

    private void pass(MirrorJob job) {
        context.createProducerTemplate().send(MirrorRouteTemplates.reconcileUri(job.id()), e -> { });
    }

    /** WARN and ERROR lines logged since the last {@link ListAppender#list} clear. */
    private List<ILoggingEvent> problems() {
        return List.copyOf(log.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }

    private static String lines(List<ILoggingEvent> events) {
        StringBuilder text = new StringBuilder();
        events.forEach(e -> text.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(": ")
                .append(e.getFormattedMessage()).append(e.getThrowableProxy() != null ? " [stack trace]" : "").append('\n'));
        return text.toString();
    }

    private Map<String, String> tree() throws IOException {
        Map<String, String> expected = new TreeMap<>();
        try (var files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                expected.put("m/" + source.relativize(f), Files.readString(f));
            }
        }
        return expected;
    }

    @Test
    void should_send_a_file_that_fails_permanently_once_and_log_it_once() throws Exception {
        for (int i = 0; i < 3; i++) {
            Files.writeString(source.resolve("f" + i + ".txt"), "file " + i);
        }
        // the bucket does not exist and the job may not create it: every PUT is answered 404 NoSuchBucket
        S3Actor actor = new S3Actor(s3.client, S3Fixture.uniqueBucket("missing"),
                S3ActorSettings.defaults().withCreateBucketIfMissing(false));
        MirrorJob job = job(actor, false);
        job.closeOnStop(actor);
        start(job);
        s3.store.resetCounts();
        log.list.clear();

        pass(job);

        assertThat(s3.store.requestCounts().get(CountingBlobStore.PUT)).as("one PUT per file, nothing redelivered")
                .isEqualTo(3);
        assertThat(job.stats().snapshot().failed()).isEqualTo(3);
        List<ILoggingEvent> problems = problems();
        assertThat(problems).as(lines(problems)).hasSize(3)
                .allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN))
                .allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull())
                .allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("does not exist"));
        for (int i = 0; i < 3; i++) {
            String key = "m/f" + i + ".txt";
            assertThat(problems).as("one line for " + key).filteredOn(e -> e.getFormattedMessage().contains(key)).hasSize(1);
        }
        System.out.printf("permanent: %s%n%s", s3.store.requestCounts(), lines(problems));
    }

    @Test
    void should_log_a_failed_timer_pass_once_without_a_stack_trace() throws Exception {
        s3.server.stop();
        MirrorJob job = job(new S3Actor(s3.client, S3Fixture.uniqueBucket("down"), S3ActorSettings.defaults()), true);
        job.closeOnStop(job.actor());
        context = new DefaultCamelContext();
        context.start();
        // the reconciliation timer runs the first pass at once. Its routes log while the exchange runs; the scheduler
        // consumer logs afterwards, but only an exchange that ended failed
        String timerRoute = MirrorRouteTemplates.routeId(MirrorRouteTemplates.RECONCILE_TIMER, job.id());
        NotifyBuilder timerDone = new NotifyBuilder(context).fromRoute(timerRoute).whenDone(1).create();
        NotifyBuilder timerFailed = new NotifyBuilder(context).fromRoute(timerRoute).whenFailed(1).create();
        log.list.clear();
        AutosyncJobs.add(context, job);

        assertThat(timerDone.matches(60, TimeUnit.SECONDS)).isTrue();
        assertThat(timerFailed.matches()).as("the timer's exchange ended failed: its consumer logs it again").isFalse();
        assertThat(job.stats().passes(MirrorStats.PassOutcome.FAILED)).isEqualTo(1);
        List<ILoggingEvent> problems = problems();
        assertThat(problems).as(lines(problems)).hasSize(1);
        assertThat(problems.get(0).getLoggerName()).isEqualTo(MirrorJob.class.getName());
        assertThat(problems.get(0).getThrowableProxy()).isNull();
        assertThat(problems.get(0).getFormattedMessage()).contains("cannot reach the S3 endpoint");
    }

    @Test
    void should_back_off_a_target_that_went_away_report_it_and_catch_up_once_it_is_back() throws Exception {
        for (int i = 0; i < 4; i++) {
            Files.writeString(source.resolve("old" + i + ".txt"), "old " + i);
        }
        String bucket = S3Fixture.uniqueBucket("away");
        CountingActor actor = new CountingActor(new S3Actor(s3.client, bucket, S3ActorSettings.defaults()));
        MirrorJob job = job(actor, true);
        job.closeOnStop(actor);
        job.breakerSettings(new TargetBreaker.Settings(3, Duration.ofSeconds(2)));
        CircuitBreaker breaker = job.breaker().circuitBreaker();
        AtomicInteger probes = new AtomicInteger();
        AtomicLong heldBack = new AtomicLong();
        breaker.getEventPublisher()
                .onStateTransition(e -> {
                    if (e.getStateTransition() == CircuitBreaker.StateTransition.OPEN_TO_HALF_OPEN) {
                        probes.incrementAndGet();
                    }
                })
                .onCallNotPermitted(e -> heldBack.incrementAndGet());
        start(job);
        await().atMost(Duration.ofSeconds(30)).until(() -> s3.contents(bucket).equals(tree()));
        await().atMost(Duration.ofSeconds(20)).until(() -> context.getRouteController()
                .getRouteStatus(MirrorRouteTemplates.routeId(MirrorRouteTemplates.SCAN, job.id())).isStarted());
        log.list.clear();

        s3.server.stop();
        for (int i = 0; i < 8; i++) {
            Files.writeString(source.resolve("new" + i + ".txt"), "new " + i);
        }
        // the re-scan sends the new files; after 3 failures in a row the breaker opens
        await().atMost(Duration.ofSeconds(60)).until(() -> job.health().status() == JobHealth.Status.TARGET_UNAVAILABLE);
        long attemptsWhenOpened = actor.uploads.get();
        int probesWhenOpened = probes.get();
        long heldBackWhenOpened = heldBack.get();
        assertThat(job.health().reason()).contains(actor.describe()).contains("cannot reach the S3 endpoint");
        HealthCheck.Result readiness = HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("autosync-" + job.id())).findFirst().orElseThrow();
        assertThat(readiness.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(readiness.getMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("TARGET_UNAVAILABLE: "));
        assertThat(meters.get("autosync.target.unavailable").tag("job", job.id()).gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("autosync.healthy").tag("job", job.id()).gauge().value()).isEqualTo(0.0);

        // re-scans go on finding the 8 files: they are held back, not sent
        await().atMost(Duration.ofSeconds(60)).until(() -> heldBack.get() >= heldBackWhenOpened + 3 * 8);
        long attemptsWhileOpen = actor.uploads.get() - attemptsWhenOpened;
        int probesWhileOpen = probes.get() - probesWhenOpened;
        assertThat(attemptsWhileOpen).as("uploads in flight when it opened (at most the job's 4 threads) and one per "
                + "probe (%d), while %d were held back", probesWhileOpen, heldBack.get() - heldBackWhenOpened)
                .isLessThanOrEqualTo(4 + probesWhileOpen);
        List<ILoggingEvent> problems = problems();
        assertThat(problems).as(lines(problems))
                .allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN))
                .filteredOn(e -> e.getFormattedMessage().contains("no uploads are sent")).hasSize(1);
        assertThat(problems).as("one line per failed upload before it opened, one for the breaker: " + lines(problems))
                .hasSizeLessThanOrEqualTo(3 + 1);

        s3.server.restart();
        await().atMost(Duration.ofSeconds(60)).until(() -> s3.contents(bucket).equals(tree()));
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(job.health().status()).isEqualTo(JobHealth.Status.HEALTHY);
        assertThat(meters.get("autosync.target.unavailable").tag("job", job.id()).gauge().value()).isEqualTo(0.0);
        System.out.printf("breaker: %d upload attempt(s) while open (%d probe(s)), %d held back%n%s", attemptsWhileOpen,
                probesWhileOpen, heldBack.get(), lines(problems()));
    }

    /** The real S3 actor, counting the uploads that reach it. */
    private static final class CountingActor extends ForwardingActor {
        final AtomicLong uploads = new AtomicLong();

        CountingActor(Actor delegate) {
            super(delegate);
        }

        @Override
        public String upload(Upload upload) throws IOException {
            uploads.incrementAndGet();
            return delegate.upload(upload);
        }
    }
}
