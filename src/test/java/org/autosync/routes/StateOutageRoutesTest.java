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

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.job.JobHealth;
import org.autosync.job.JobSpec;
import org.autosync.job.MirrorJob;
import org.autosync.keys.KeyMapper;
import org.autosync.local.SourceFilter;
import org.autosync.safety.DeletePolicy;
import org.autosync.state.StateFiles;
import org.autosync.state.postgres.PostgresSyncState;
import org.autosync.state.postgres.PostgresUrl;
import org.autosync.targets.Actor;
import org.autosync.targets.ForwardingActor;
import org.autosync.targets.Upload;
import org.autosync.targets.s3.S3Actor;
import org.autosync.targets.s3.S3ActorSettings;
import org.autosync.testing.CountingBlobStore;
import org.autosync.testing.PostgresServer;
import org.autosync.testing.S3Fixture;
import org.autosync.watch.WatchMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A job whose sync state is in a real PostgreSQL that goes down (stopped by its PID) and comes back: passes fail with
 * one WARN, nothing is deleted while the state cannot be read, and the job converges once the database is back.
 */
class StateOutageRoutesTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();
    @RegisterExtension
    static final PostgresServer pg = PostgresServer.own("state-outage");

    @TempDir
    Path work;
    private Path source;
    private String bucket;
    private CamelContext context;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(work.resolve("src"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(source.resolve("f" + i + ".txt"), "file " + i);
        }
        bucket = S3Fixture.uniqueBucket("state-outage");
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void tearDown() throws Exception {
        root.detachAppender(log);
        pg.start(); // in case a test left it stopped
        if (context != null) {
            context.close();
        }
    }

    private MirrorJob start() throws Exception {
        return start(true, new S3Actor(s3.client, bucket, S3ActorSettings.defaults()));
    }

    private MirrorJob start(boolean continuous, Actor actor) throws Exception {
        s3.store.resetCounts();
        String id = "pg" + S3Fixture.uniqueBucket("");
        JobSpec spec = new JobSpec(id, source, new KeyMapper(source.toString(), "m"), SourceFilter.acceptAll(), false,
                false, 4, continuous, Duration.ofMillis(200), Duration.ofHours(1), DeletePolicy.defaults(), Duration.ZERO,
                WatchMode.POLL);
        PostgresSyncState state = new PostgresSyncState(PostgresUrl.parse(pg.jdbcUrlWithPassword()),
                StateFiles.stateId(s3.server.endpoint().toString(), bucket, "m/", source));
        MirrorJob job = new MirrorJob(spec, actor, state);
        s3.client.createBucket(b -> b.bucket(bucket)); // what the first pass would do, had it not failed
        context = new DefaultCamelContext();
        context.start();
        AutosyncJobs.add(context, job);
        return job;
    }

    private Exchange pass(MirrorJob job) {
        return context.createProducerTemplate().send(MirrorRouteTemplates.reconcileUri(job.id()), e -> { });
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

    private List<String> warnings() {
        return List.copyOf(log.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    }

    @Test
    void stateDownMidJobDeletesNothingWarnsOnceAndConvergesWhenItIsBack() throws Exception {
        MirrorJob job = start();
        await().atMost(Duration.ofSeconds(30)).until(() -> s3.contents(bucket).equals(tree()));

        log.list.clear();
        s3.store.resetCounts();
        pg.stop();
        Files.delete(source.resolve("f1.txt"));
        Files.writeString(source.resolve("new.txt"), "written while the state is down");
        for (int i = 0; i < 3; i++) {
            Exchange failed = pass(job);
            assertThat(failed.getException()).as("a pass without its state fails").isNotNull();
        }

        Map<String, Long> counts = s3.store.requestCounts();
        assertThat(counts.get(CountingBlobStore.DELETE)).as("no delete while the state is down").isZero();
        assertThat(counts.get(CountingBlobStore.PUT)).as("no upload that could not be recorded").isZero();
        assertThat(s3.contents(bucket)).containsKey("m/f1.txt").doesNotContainKey("m/new.txt");
        assertThat(job.health().status()).isEqualTo(JobHealth.Status.DELETES_BLOCKED);
        assertThat(job.health().reason()).contains("unavailable").contains("127.0.0.1:" + pg.port())
                .doesNotContain(pg.password());
        assertThat(warnings()).as("one WARN for the outage, not one per pass or file").hasSize(1);
        assertThat(warnings().get(0)).contains("is unavailable").contains("nothing is deleted").doesNotContain(pg.password());

        pg.start();
        Exchange recovered = pass(job);
        assertThat(recovered.getException()).isNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> s3.contents(bucket).equals(tree()));
        assertThat(s3.contents(bucket)).doesNotContainKey("m/f1.txt").containsEntry("m/new.txt", "written while the state is down");
        assertThat(job.health().status()).isEqualTo(JobHealth.Status.HEALTHY);
        assertThat(List.copyOf(log.list)).anySatisfy(e -> assertThat(e.getFormattedMessage()).endsWith("is reachable again"));
    }

    @Test
    void anUploadWhoseRecordFailsIsNotDoneAndTheNextPassAdoptsItsObjectWithoutSendingItAgain() throws Exception {
        // the target stores new.txt, then PostgreSQL goes down before the upload can be recorded
        Actor stopsTheStateAfterNewTxt = new ForwardingActor(new S3Actor(s3.client, bucket, S3ActorSettings.defaults())) {
            @Override
            public String upload(Upload upload) throws IOException {
                String etag = delegate.upload(upload);
                if (upload.key().equals("m/new.txt")) {
                    pg.stop();
                }
                return etag;
            }
        };
        MirrorJob job = start(false, stopsTheStateAfterNewTxt);
        assertThat(pass(job).getException()).isNull();
        assertThat(s3.contents(bucket)).isEqualTo(tree());
        Files.writeString(source.resolve("new.txt"), "recorded after the outage");
        s3.store.resetCounts();
        log.list.clear();

        Exchange failed = pass(job);

        assertThat(failed.getException()).as("the pass cannot count what it holds without its state").isNotNull();
        assertThat(s3.store.requestCounts().get(CountingBlobStore.PUT)).isEqualTo(1);
        assertThat(job.stats().snapshot().failed()).as("the upload is not done until it is recorded").isEqualTo(1);
        assertThat(warnings()).hasSize(1);

        pg.start();
        s3.store.resetCounts();
        assertThat(pass(job).getException()).isNull();
        assertThat(s3.store.requestCounts().get(CountingBlobStore.PUT)).as("adopted: its MD5 equals the ETag").isZero();
        assertThat(job.state().get("m/new.txt")).isPresent();
        assertThat(s3.contents(bucket)).isEqualTo(tree());
    }

    @Test
    void jobStartsWhileTheStateIsDownAndMirrorsOnceItIsUp() throws Exception {
        pg.stop();
        MirrorJob job = start();
        Exchange failed = pass(job);

        assertThat(failed.getException()).isNotNull();
        assertThat(s3.store.requestCounts().get(CountingBlobStore.PUT)).isZero();
        assertThat(job.health().status()).isEqualTo(JobHealth.Status.DELETES_BLOCKED);
        assertThat(job.health().reason()).contains("is unavailable");

        pg.start();
        assertThat(pass(job).getException()).isNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> s3.contents(bucket).equals(tree()));
    }
}
