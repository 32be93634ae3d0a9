package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.testing.S3Fixture;
import org.autosync.job.JobHealth;
import org.autosync.job.MirrorJob;
import org.autosync.safety.DeletePolicy;
import org.autosync.safety.MaxDelete;
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
 * The deletion rails of a continuous job in a CamelContext, against a real S3 server: the source going
 * away between passes, a pass over --max_delete, and a burst of event deletes through the delete route.
 */
class DeletionRailsRoutesTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;
    private CamelContext context;
    private ProducerTemplate template;
    private String bucket;
    private Path source;



    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    private MirrorJob startJob(int files, DeletePolicy deletes) throws Exception {
        return startJob(files, deletes, null);
    }

    private MirrorJob startJob(int files, DeletePolicy deletes, Actor actor) throws Exception {
        source = Files.createDirectories(work.resolve("src"));
        for (int i = 0; i < files; i++) {
            Files.writeString(source.resolve(String.format("f%02d.txt", i)), "file " + i);
        }
        bucket = actor instanceof Named named ? named.bucket() : S3Fixture.uniqueBucket("rails");
        Path state = Files.createDirectories(work.resolve("state"));
        MirrorJob job = actor == null ? s3.job(source, bucket, "m", state, true, deletes)
                : s3.job(source, "m", state, true, deletes, Duration.ZERO, actor);
        context = new DefaultCamelContext();
        context.start();
        AutosyncJobs.add(context, job);
        template = context.createProducerTemplate();
        await().atMost(Duration.ofSeconds(30)).until(() -> keys().size() == files);
        // the first pass is over once it has started the file route
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getRouteController()
                .getRouteStatus(MirrorRouteTemplates.routeId(MirrorRouteTemplates.SCAN, job.id())).isStarted());
        return job;
    }

    /** The keys in the bucket, from its listing alone (no reads that could race an upload). */
    private List<String> keys() {
        if (s3.client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
            return List.of();
        }
        return s3.client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).toList();
    }

    /** An actor that names its bucket. */
    private interface Named {
        String bucket();
    }

    private static DeletePolicy policy(String maxDelete) {
        return new DeletePolicy(false, MaxDelete.parse(maxDelete), "", DeletePolicy.DEFAULT_WINDOW);
    }

    private Exchange reconcile(MirrorJob job) {
        return template.send(MirrorRouteTemplates.reconcileUri(job.id()), e -> { });
    }

    @Test
    void sourceRootRenamedAwayDeletesNothing() throws Exception {
        // no --max_delete limit, so only the source-unavailable guarantee stands between the rename and the bucket
        MirrorJob job = startJob(20, policy("100%"));
        assertThat(job.health().isHealthy()).isTrue();

        Files.move(source, work.resolve("src-renamed"));
        // the file route polls the vanished directory, fails three times in a row, and deletes nothing
        Rescans.awaitFailedPolls(context, job, 3, Duration.ofSeconds(10));
        assertThat(keys()).hasSize(20);
        Exchange pass = reconcile(job);

        assertThat(pass.getException()).isNotNull();
        assertThat(s3.contents(bucket)).hasSize(20);
        assertThat(job.stats().snapshot().deleted()).isZero();
        assertThat(job.health().status()).isEqualTo(JobHealth.Status.DELETES_BLOCKED);
        assertThat(job.health().reason()).contains("source", source.toString());
        assertThat(job.lastPassIncomplete()).isTrue();

        Files.move(work.resolve("src-renamed"), source);
        assertThat(reconcile(job).getException()).isNull();
        assertThat(job.health().isHealthy()).as("healthy again after a complete pass").isTrue();
    }

    @Test
    void passOverMaxDeleteDeletesNothingAndKeepsTheJobUnhealthyUntilAPassIsWithinLimits() throws Exception {
        MirrorJob job = startJob(30, DeletePolicy.defaults());
        for (int i = 0; i < 16; i++) {
            Files.delete(source.resolve(String.format("f%02d.txt", i)));
        }

        assertThat(reconcile(job).getException()).isNull();
        assertThat(s3.contents(bucket)).hasSize(30);
        assertThat(job.health().status()).isEqualTo(JobHealth.Status.RAIL_TRIPPED);
        assertThat(job.health().reason()).contains("16 deletes of 30 objects in scope", "--max_delete=16");

        Files.writeString(source.resolve("f00.txt"), "back");
        assertThat(reconcile(job).getException()).isNull();
        assertThat(s3.contents(bucket)).hasSize(15);
        assertThat(job.health().isHealthy()).isTrue();
    }

    @Test
    void burstOfUnapprovedSingleDeletesThroughTheDeleteRouteStopsAtTheLimit() throws Exception {
        MirrorJob job = startJob(30, DeletePolicy.defaults());
        assertThat(reconcile(job).getException()).as("a pass that sees the 30 objects in scope").isNull();
        assertThat(job.health().isHealthy()).isTrue();

        // what a watcher would send when the source root is renamed away: one delete per file
        Files.move(source, work.resolve("src-renamed"));
        List<String> refused = new ArrayList<>();
        for (String key : s3.contents(bucket).keySet()) {
            Exchange sent = template.send(MirrorRouteTemplates.deleteUri(job.id()), e -> e.getMessage().setBody(key));
            assertThat(sent.getException()).isNull();
            Optional.ofNullable(sent.getMessage().getHeader(AutosyncHeaders.DELETE_REFUSED, String.class))
                    .ifPresent(reason -> refused.add(key));
        }

        assertThat(s3.contents(bucket)).as("50% of 30 in scope may go, no more").hasSize(15);
        assertThat(refused).hasSize(15);
        assertThat(job.refusedDeletes()).isEqualTo(15);
        assertThat(job.stats().snapshot().deleted()).isEqualTo(15);
        assertThat(job.health().status()).isEqualTo(JobHealth.Status.RAIL_TRIPPED);
    }

    @Test
    void approvedBatchFromAPassIsNotCountedAgainstTheEventLimit() throws Exception {
        MirrorJob job = startJob(12, DeletePolicy.defaults());
        for (int i = 0; i < 12; i++) {
            Files.delete(source.resolve(String.format("f%02d.txt", i)));
        }
        Files.writeString(source.resolve("keep.txt"), "keep");
        // 12 deletes of 12 in scope: over 50%, but a percentage always allows 10 -> trips
        assertThat(reconcile(job).getException()).isNull();
        assertThat(job.health().status()).isEqualTo(JobHealth.Status.RAIL_TRIPPED);

        Exchange approved = template.send(MirrorRouteTemplates.deleteUri(job.id()), e -> {
            e.getMessage().setBody(List.of("m/f00.txt", "m/f01.txt"));
            e.setProperty(RouteTransfers.DELETE_APPROVED, true);
        });
        assertThat(approved.getMessage().getHeader(AutosyncHeaders.DELETE_REFUSED)).isNull();
        assertThat(s3.contents(bucket)).doesNotContainKeys("m/f00.txt", "m/f01.txt");
    }

    @Test
    void approvalCannotBeCarriedByAMessageHeader() throws Exception {
        MirrorJob job = startJob(12, new DeletePolicy(false, MaxDelete.parse("1"), "", DeletePolicy.DEFAULT_WINDOW));
        assertThat(reconcile(job).getException()).isNull();
        assertThat(job.health().isHealthy()).isTrue();

        Files.delete(source.resolve("f00.txt"));
        Files.delete(source.resolve("f01.txt"));
        // a header of that name, as any inbound transport could set it, is not an approval: the event limit applies
        Exchange forged = template.send(MirrorRouteTemplates.deleteUri(job.id()), e -> {
            e.getMessage().setBody(List.of("m/f00.txt", "m/f01.txt"));
            e.getMessage().setHeader(RouteTransfers.DELETE_APPROVED, true);
        });
        assertThat(forged.getMessage().getHeader(AutosyncHeaders.DELETE_REFUSED, String.class))
                .contains("more than --max_delete=1 allows");
        assertThat(s3.contents(bucket)).containsKeys("m/f00.txt", "m/f01.txt");
    }

    @Test
    void failedBackupCopyMeansTheObjectIsNotDeleted() throws Exception {
        S3Actor real = new S3Actor(s3.client, S3Fixture.uniqueBucket("rails"), S3ActorSettings.defaults());
        class CopylessActor extends ForwardingActor implements Named {
            CopylessActor() {
                super(real);
            }

            @Override
            public String bucket() {
                return real.bucket();
            }

            @Override
            public void copy(String fromKey, String toKey) {
                throw new UnsupportedOperationException(describe() + " cannot copy objects"); // a backend without copy
            }
        }
        Actor withoutCopy = new CopylessActor();
        MirrorJob job = startJob(3, new DeletePolicy(false, MaxDelete.DEFAULT, "trash", DeletePolicy.DEFAULT_WINDOW),
                withoutCopy);
        Files.delete(source.resolve("f01.txt"));

        assertThat(reconcile(job).getException()).isNull();

        assertThat(s3.contents(bucket)).containsOnlyKeys("m/f00.txt", "m/f01.txt", "m/f02.txt");
        assertThat(job.stats().snapshot().failed()).isEqualTo(1);
        assertThat(job.stats().snapshot().deleted()).isZero();
    }

    @Test
    void fileCreatedAgainWhileAPassRunsIsNotDeletedByThatPass() throws Exception {
        S3Actor real = new S3Actor(s3.client, S3Fixture.uniqueBucket("rails"), S3ActorSettings.defaults());
        CountDownLatch uploadEntered = new CountDownLatch(1);
        CountDownLatch releaseUpload = new CountDownLatch(1);
        List<String> deleteRequests = new CopyOnWriteArrayList<>();
        class SlowUploadActor extends ForwardingActor implements Named {
            SlowUploadActor() {
                super(real);
            }

            @Override
            public String bucket() {
                return real.bucket();
            }

            @Override
            public String upload(Upload upload) throws IOException {
                if (upload.key().endsWith("slow.txt")) {
                    uploadEntered.countDown();
                    try {
                        releaseUpload.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.upload(upload);
            }

            @Override
            public List<DeleteFailure> delete(List<String> keys) {
                deleteRequests.addAll(keys);
                return super.delete(keys);
            }
        }
        MirrorJob job = startJob(12, DeletePolicy.defaults(), new SlowUploadActor());
        Files.delete(source.resolve("f00.txt"));
        Files.delete(source.resolve("f01.txt"));
        Files.writeString(source.resolve("slow.txt"), "slow");

        // the pass walks (f00 and f01 gone: both planned for delete), then waits for the slow upload
        CompletableFuture<Exchange> pass = template.asyncSend(MirrorRouteTemplates.reconcileUri(job.id()), e -> { });
        assertThat(uploadEntered.await(30, TimeUnit.SECONDS)).isTrue();
        Files.writeString(source.resolve("f00.txt"), "written again");
        releaseUpload.countDown();

        assertThat(pass.get(30, TimeUnit.SECONDS).getException()).isNull();
        assertThat(deleteRequests).as("the file that exists again when the deletes go").containsExactly("m/f01.txt");
        assertThat(keys()).contains("m/f00.txt").doesNotContain("m/f01.txt");
    }

    @Test
    void eventDeletesAfterAFirstSyncIntoAnEmptyBucketCountAgainstTheObjectsItUploaded() throws Exception {
        // the first pass listed an empty bucket and uploaded 40 files: 50% of them may go by events, not 10 of 0
        MirrorJob job = startJob(40, DeletePolicy.defaults());
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            String name = String.format("f%02d.txt", i);
            Files.delete(source.resolve(name));
            Exchange sent = template.send(MirrorRouteTemplates.deleteUri(job.id()), e -> e.getMessage().setBody("m/" + name));
            Optional.ofNullable(sent.getMessage().getHeader(AutosyncHeaders.DELETE_REFUSED, String.class)).ifPresent(refused::add);
        }

        assertThat(refused).isEmpty();
        assertThat(keys()).hasSize(25);
        assertThat(job.health().isHealthy()).isTrue();
    }
}
