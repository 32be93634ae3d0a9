package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.job.MirrorJob;
import org.autosync.targets.ForwardingActor;
import org.autosync.targets.Upload;
import org.autosync.targets.s3.S3Actor;
import org.autosync.targets.s3.S3ActorSettings;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Events that arrive while uploads cannot go (a target outage) wait for their turn; none is dropped. */
class WatcherBacklogRoutesTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;
    private CamelContext context;

    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void moreEventsThanAQueueHoldsWhileUploadsAreStuckAreAllUploadedAfterwards() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        for (int d = 0; d < 20; d++) {
            Files.createDirectories(source.resolve(String.format("d%02d", d)));
        }
        String bucket = S3Fixture.uniqueBucket("backlog");
        s3.client.createBucket(r -> r.bucket(bucket));
        CountDownLatch outageOver = new CountDownLatch(1);
        AtomicInteger stuck = new AtomicInteger();
        ForwardingActor stalling = new ForwardingActor(new S3Actor(s3.client, bucket, S3ActorSettings.defaults())) {
            @Override
            public String upload(Upload upload) throws IOException {
                stuck.incrementAndGet();
                try {
                    outageOver.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.upload(upload);
            }
        };
        // no re-scan and no reconciliation within the test: only the watcher can upload
        MirrorJob job = s3.watchingJob(source, Files.createDirectories(work.resolve("state")), stalling,
                Duration.ofMillis(50), Duration.ofHours(1));
        context = new DefaultCamelContext();
        context.start();
        AutosyncJobs.add(context, job);
        await().atMost(Duration.ofSeconds(30)).until(job::watching);

        int files = 1_200;
        for (int i = 0; i < files; i++) {
            Files.writeString(source.resolve(String.format("d%02d/f%04d.txt", i % 20, i)), "x");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> stuck.get() >= job.spec().threads());
        outageOver.countDown();

        await().atMost(Duration.ofSeconds(90)).until(() -> s3.client.listObjectsV2Paginator(r -> r.bucket(bucket))
                .contents().stream().map(S3Object::key).count() == files);
        assertThat(stuck.get()).as("every file was sent once it could go").isGreaterThanOrEqualTo(files);
    }
}
