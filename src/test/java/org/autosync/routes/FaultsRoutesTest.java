package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.camel.builder.Builder.header;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.testing.CountingBlobStore;
import org.autosync.testing.S3Fixture;
import org.autosync.job.JobHealth;
import org.autosync.job.MirrorJob;
import org.autosync.safety.DeletePolicy;
import org.autosync.state.MvStoreSyncState;
import org.autosync.targets.Actor;
import org.autosync.targets.ForwardingActor;
import org.autosync.targets.Upload;
import org.autosync.targets.s3.S3Actor;
import org.autosync.targets.s3.S3ActorSettings;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of a running job against a real S3 server on 127.0.0.1: the endpoint going away and coming
 * back on the same port and storage, and source files that vanish or cannot be read.
 */
class FaultsRoutesTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;
    private CamelContext context;
    private ProducerTemplate template;
    private Path source;
    private String bucket;



    @AfterEach
    void stopContext() throws Exception {
        s3.server.restart(); // in case a test left it stopped
        s3.store.partDelay(Duration.ZERO);
        if (context != null) {
            context.close();
        }
    }

    private MirrorJob start(Actor actor, boolean continuous) throws Exception {
        Path state = Files.createDirectories(work.resolve("state"));
        MirrorJob job = s3.job(source, "m", state, continuous, DeletePolicy.defaults(), Duration.ZERO, actor);
        context = new DefaultCamelContext();
        context.start();
        AutosyncJobs.add(context, job);
        template = context.createProducerTemplate();
        return job;
    }

    private void awaitFileRoute(MirrorJob job) {
        await().atMost(Duration.ofSeconds(20)).until(() -> context.getRouteController()
                .getRouteStatus(MirrorRouteTemplates.routeId(MirrorRouteTemplates.SCAN, job.id())).isStarted());
    }

    /** Done when the file route has offered {@code fileName} to the upload route {@code times} times from now on. */
    private NotifyBuilder rescanOffers(MirrorJob job, String fileName, int times) {
        return new NotifyBuilder(context).fromRoute(MirrorRouteTemplates.routeId(MirrorRouteTemplates.SCAN, job.id()))
                .filter(header(Exchange.FILE_NAME).isEqualTo(fileName)).whenDone(times).create();
    }

    private Map<String, String> tree() throws IOException {
        Map<String, String> expected = new java.util.TreeMap<>();
        try (var files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                expected.put("m/" + source.relativize(f), Files.readString(f));
            }
        }
        return expected;
    }

    @Test
    void outageThenRecoveryConvergesWithNothingLost() throws Exception {
        source = Files.createDirectories(work.resolve("src"));
        for (int i = 0; i < 12; i++) {
            Files.writeString(source.resolve("f" + i + ".txt"), "file " + i);
        }
        bucket = S3Fixture.uniqueBucket("outage");
        MirrorJob job = start(new S3Actor(s3.client, bucket, S3ActorSettings.defaults()), true);
        await().atMost(Duration.ofSeconds(30)).until(() -> s3.contents(bucket).equals(tree()));
        awaitFileRoute(job);
        long failedBefore = job.stats().snapshot().failed();

        s3.server.stop();
        Files.writeString(source.resolve("new.txt"), "written during the outage");
        Files.writeString(source.resolve("f0.txt"), "changed during the outage");
        for (int i = 1; i <= 3; i++) {
            Files.delete(source.resolve("f" + i + ".txt"));
        }
        // the file route tries the new and changed files (the SDK retries each request) and fails
        await().atMost(Duration.ofSeconds(60)).until(() -> job.stats().snapshot().failed() >= failedBefore + 2);
        // a reconciliation pass during the outage fails and deletes nothing
        Exchange pass = template.send(MirrorRouteTemplates.reconcileUri(job.id()), e -> { });
        assertThat(pass.getException()).isNotNull();
        // blocked deletes, or the target unavailable when the re-scan's failures opened the breaker first
        assertThat(job.health().status()).isIn(JobHealth.Status.DELETES_BLOCKED, JobHealth.Status.TARGET_UNAVAILABLE);
        long failedDuringOutage = job.stats().snapshot().failed() - failedBefore;

        s3.server.restart();
        s3.store.resetCounts();
        // (the file route may already be re-uploading the changed f0 now that the server is back)
        Map<String, String> afterOutage = s3.contents(bucket);
        assertThat(afterOutage).as("nothing deleted during the outage").containsKeys("m/f1.txt", "m/f2.txt", "m/f3.txt");
        s3.store.resetCounts();

        template.requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);
        // if the outage opened the job's circuit breaker, uploads wait for its probe (30 s) before they go
        await().atMost(Duration.ofSeconds(90)).until(() -> s3.contents(bucket).equals(tree()));
        assertThat(s3.contents(bucket)).containsEntry("m/new.txt", "written during the outage")
                .containsEntry("m/f0.txt", "changed during the outage").doesNotContainKeys("m/f1.txt");
        assertThat(job.health().status()).isEqualTo(JobHealth.Status.HEALTHY);
        System.out.printf("outage: %d upload(s) failed during the outage; after recovery %s%n",
                failedDuringOutage, s3.store.requestCounts());
    }

    @Test
    void fileDeletedBetweenWalkAndUploadIsSkippedNotFailed() throws Exception {
        source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("kept.txt"), "kept");
        bucket = S3Fixture.uniqueBucket("vanish");
        MirrorJob job = start(new S3Actor(s3.client, bucket, S3ActorSettings.defaults()), false);
        template.requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);
        s3.store.resetCounts();

        // what a pass sends for a file its walk saw, which is gone by the time the upload starts
        Exchange done = template.send(MirrorRouteTemplates.uploadUri(job.id()), e -> {
            e.getMessage().setBody(source.resolve("gone.txt").toFile());
            e.getMessage().setHeader(AutosyncHeaders.KEY, "m/gone.txt");
            e.getMessage().setHeader(AutosyncHeaders.REASON, "new");
            e.getMessage().setHeader(Exchange.FILE_LENGTH, 10L);
            e.getMessage().setHeader(Exchange.FILE_LAST_MODIFIED, System.currentTimeMillis() - 10_000);
        });

        assertThat(done.getException()).isNull();
        assertThat(job.stats().snapshot().vanished()).isEqualTo(1);
        assertThat(job.stats().snapshot().failed()).isZero();
        assertThat(s3.store.requestCounts().get(CountingBlobStore.PUT)).isZero();
        assertThat(job.stats().snapshot().toString()).endsWith("failed 0, vanished 1");
    }

    @Test
    void fileDeletedMidMultipartUploadIsAbortedAndSkipped() throws Exception {
        source = Files.createDirectories(work.resolve("src"));
        Path big = source.resolve("big.bin");
        Files.write(big, new byte[16 << 20]);
        Files.setLastModifiedTime(big, FileTime.fromMillis(System.currentTimeMillis() - 10_000));
        bucket = S3Fixture.uniqueBucket("vanish-mp");
        s3.client.createBucket(b -> b.bucket(bucket));
        S3Actor actor = new S3Actor(s3.client, bucket, S3ActorSettings.defaults()
                .withMultipart(5 << 20, 5 << 20).withPartConcurrency(1));
        MirrorJob job = start(actor, false);
        s3.store.resetCounts();
        s3.store.partDelay(Duration.ofMillis(300));
        Thread deleter = new Thread(() -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> s3.store.requestCounts().get(CountingBlobStore.MULTIPART_PART) >= 1);
            try {
                Files.delete(big);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        deleter.start();

        template.requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);
        deleter.join();

        assertThat(job.stats().snapshot().vanished()).isEqualTo(1);
        assertThat(job.stats().snapshot().failed()).isZero();
        assertThat(s3.store.requestCounts().get(CountingBlobStore.MULTIPART_ABORT)).isEqualTo(1);
        assertThat(s3.client.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        assertThat(s3.contents(bucket)).isEmpty();
        System.out.printf("vanished mid-multipart: %s%n", s3.store.requestCounts());
    }

    @Test
    void unreadableFileCountsAsFailedOnceAndIsNotRetriedUntilItChanges() throws Exception {
        source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("ok.txt"), "ok");
        Path locked = source.resolve("locked.txt");
        Files.writeString(locked, "secret");
        bucket = S3Fixture.uniqueBucket("unreadable");
        UnreadableFiles actor = new UnreadableFiles(new S3Actor(s3.client, bucket, S3ActorSettings.defaults()));
        actor.unreadable.add(locked.toAbsolutePath());
        MirrorJob job = start(actor, true);
        await().atMost(Duration.ofSeconds(30)).until(() -> s3.contents(bucket).containsKey("m/ok.txt"));
        awaitFileRoute(job);

        // the state has no record of it, so every re-scan offers it to the upload route: ten of them, done
        NotifyBuilder offered = rescanOffers(job, "locked.txt", 10);
        assertThat(offered.matches(30, TimeUnit.SECONDS)).as("ten re-scans offered locked.txt").isTrue();
        assertThat(actor.attempts(locked)).as("tried once by the pass, then skipped by the file route").isEqualTo(1);
        assertThat(job.stats().snapshot().failed()).isEqualTo(1);

        Files.setLastModifiedTime(locked, FileTime.fromMillis(System.currentTimeMillis() - 5_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> actor.attempts(locked) == 2);
        NotifyBuilder offeredAgain = rescanOffers(job, "locked.txt", 5);
        assertThat(offeredAgain.matches(30, TimeUnit.SECONDS)).as("five more offers of the changed file").isTrue();
        assertThat(actor.attempts(locked)).as("a changed file is tried once more").isEqualTo(2);
        assertThat(job.stats().snapshot().failed()).isEqualTo(2);

        actor.unreadable.clear();
        Files.setLastModifiedTime(locked, FileTime.fromMillis(System.currentTimeMillis() - 4_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> "secret".equals(s3.contents(bucket).get("m/locked.txt")));
        System.out.printf("unreadable: %d attempt(s), failed %d%n", actor.attempts(locked), job.stats().snapshot().failed());
    }

    @Test
    void journalRecordsMultipartUploadsAndAStartAbortsLeftovers() throws Exception {
        bucket = S3Fixture.uniqueBucket("journal");
        s3.client.createBucket(b -> b.bucket(bucket));
        String leftover = s3.client.createMultipartUpload(b -> b.bucket(bucket).key("m/left.bin")).uploadId();
        MvStoreSyncState state = new MvStoreSyncState(work.resolve("journal.mv.db"));
        state.start();
        state.started("m/left.bin", null, leftover);
        state.stop();

        MvStoreSyncState reopened = new MvStoreSyncState(work.resolve("journal.mv.db"));
        reopened.start();
        s3.store.resetCounts();
        S3Actor actor = new S3Actor(s3.client, bucket, S3ActorSettings.defaults().withMultipart(5 << 20, 5 << 20));
        actor.useJournal(reopened);
        assertThat(s3.store.requestCounts().get(CountingBlobStore.MULTIPART_ABORT)).isEqualTo(1);
        assertThat(reopened.pending()).isEmpty();
        assertThat(s3.client.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();

        s3.store.resetCounts();
        actor.useJournal(reopened);
        assertThat(s3.store.requestCounts()).as("a clean start sends no request")
                .allSatisfy((type, n) -> assertThat(n).isZero());
        Path big = Files.write(work.resolve("big.bin"), new byte[6 << 20]);
        actor.upload(new Upload("m/big.bin", big, 6 << 20, 0L, null, Map.of()));
        assertThat(reopened.pending()).isEmpty();
        reopened.stop();
        actor.close();
    }

    @Test
    void uploadWhoseAbortFailedInAnOutageIsAbortedByTheNextPass() throws Exception {
        source = Files.createDirectories(work.resolve("src"));
        bucket = S3Fixture.uniqueBucket("abort-later");
        s3.client.createBucket(b -> b.bucket(bucket));
        S3Actor actor = new S3Actor(s3.client, bucket, S3ActorSettings.defaults()
                .withMultipart(5 << 20, 5 << 20).withPartConcurrency(1));
        MirrorJob job = start(actor, true);
        MvStoreSyncState journal = (MvStoreSyncState) job.state();
        Path big = Files.write(work.resolve("big.bin"), new byte[16 << 20]);
        s3.store.resetCounts();
        s3.store.partDelay(Duration.ofSeconds(1));
        Thread stopper = new Thread(() -> {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> s3.store.requestCounts().get(CountingBlobStore.MULTIPART_PART) >= 1);
            s3.server.stop();
        });
        stopper.start();
        assertThatThrownBy(() -> actor.upload(new Upload("m/big.bin", big, 16 << 20, 0L, null, Map.of())))
                .isInstanceOf(IOException.class);
        stopper.join();
        assertThat(journal.pending()).as("the abort failed: the upload stays in the journal").hasSize(1);

        s3.server.restart();
        s3.store.partDelay(Duration.ZERO);
        assertThat(s3.client.listMultipartUploads(b -> b.bucket(bucket)).uploads()).hasSize(1);
        s3.store.resetCounts();
        template.requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);

        assertThat(s3.store.requestCounts().get(CountingBlobStore.MULTIPART_ABORT)).isEqualTo(1);
        assertThat(s3.client.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        assertThat(journal.pending()).isEmpty();
        s3.store.resetCounts();
        template.requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);
        assertThat(s3.store.requestCounts().get(CountingBlobStore.MULTIPART)).as("a pass with nothing left to abort")
                .isZero();
    }

    @Test
    void uploadCreatedJustBeforeAKillIsFoundByItsIntentAndAbortedAtStart() throws Exception {
        source = Files.createDirectories(work.resolve("src"));
        bucket = S3Fixture.uniqueBucket("intent");
        s3.client.createBucket(b -> b.bucket(bucket));
        String other = s3.client.createMultipartUpload(b -> b.bucket(bucket).key("m/left.bin.other")).uploadId();
        MirrorJob job = s3.job(source, "m", Files.createDirectories(work.resolve("state")), false,
                DeletePolicy.defaults(), Duration.ZERO, new S3Actor(s3.client, bucket, S3ActorSettings.defaults()));
        // what a process killed right after CreateMultipartUpload leaves: the intent on disk, the upload at the server
        MvStoreSyncState killed = new MvStoreSyncState(((MvStoreSyncState) job.state()).file());
        killed.start();
        killed.creating("m/left.bin", "token-1");
        killed.stop();
        s3.client.createMultipartUpload(b -> b.bucket(bucket).key("m/left.bin"));
        s3.store.resetCounts();

        context = new DefaultCamelContext();
        context.start();
        AutosyncJobs.add(context, job);

        assertThat(s3.store.requestCounts().get(CountingBlobStore.MULTIPART_ABORT)).isEqualTo(1);
        assertThat(s3.client.listMultipartUploads(b -> b.bucket(bucket).prefix("m/left.bin")).uploads())
                .as("only the upload of that exact key is aborted")
                .extracting(u -> u.uploadId()).containsExactly(other);
        MvStoreSyncState journal = (MvStoreSyncState) job.state();
        assertThat(journal.intents()).isEmpty();
        assertThat(journal.pending()).isEmpty();
        s3.client.abortMultipartUpload(b -> b.bucket(bucket).key("m/left.bin.other").uploadId(other));
        assertThat(s3.client.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    /** The real S3 actor, except that reading some files fails as a permission error would. */
    private static final class UnreadableFiles extends ForwardingActor {
        final Set<Path> unreadable = ConcurrentHashMap.newKeySet();
        private final Map<Path, AtomicInteger> attempts = new ConcurrentHashMap<>();

        UnreadableFiles(S3Actor delegate) {
            super(delegate);
        }

        int attempts(Path file) {
            return attempts.getOrDefault(file.toAbsolutePath(), new AtomicInteger()).get();
        }

        @Override
        public String upload(Upload upload) throws IOException {
            Path file = upload.file().toAbsolutePath();
            attempts.computeIfAbsent(file, f -> new AtomicInteger()).incrementAndGet();
            if (unreadable.contains(file)) {
                throw new AccessDeniedException(file.toString());
            }
            return delegate.upload(upload);
        }
    }
}
