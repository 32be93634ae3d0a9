package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.job.MirrorJob;
import org.autosync.safety.DeletePolicy;
import org.autosync.targets.ForwardingActor;
import org.autosync.targets.Upload;
import org.autosync.targets.s3.S3Actor;
import org.autosync.targets.s3.S3ActorSettings;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentUploadsRoutesTest {

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

    /** An S3 actor whose uploads wait at a gate before they read the file; it records the keys it was asked for. */
    private static final class GatedActor extends ForwardingActor {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> uploads = new CopyOnWriteArrayList<>();

        GatedActor(S3Actor delegate) {
            super(delegate);
        }

        @Override
        public String upload(Upload upload) throws IOException {
            uploads.add(upload.key());
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.upload(upload);
        }
    }

    private static void uploadRequest(Exchange exchange, Path file, String key) throws IOException {
        uploadRequest(exchange, file, key, "event");
    }

    private static void uploadRequest(Exchange exchange, Path file, String key, String reason) throws IOException {
        exchange.getMessage().setBody(new File(file.toString()));
        exchange.getMessage().setHeader(AutosyncHeaders.KEY, key);
        exchange.getMessage().setHeader(AutosyncHeaders.REASON, reason);
        exchange.getMessage().setHeader(Exchange.FILE_LENGTH, Files.size(file));
        exchange.getMessage().setHeader(Exchange.FILE_LAST_MODIFIED, Files.getLastModifiedTime(file).toMillis());
    }

    @Test
    void secondRequestForAKeyBeingUploadedSendsNoSecondPut() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        Path file = Files.writeString(source.resolve("a.txt"), "the content");
        String bucket = S3Fixture.uniqueBucket("inflight");
        s3.client.createBucket(r -> r.bucket(bucket));
        GatedActor actor = new GatedActor(new S3Actor(s3.client, bucket, S3ActorSettings.defaults()));
        MirrorJob job = s3.job(source, "m", Files.createDirectories(work.resolve("state")), false,
                DeletePolicy.defaults(), Duration.ZERO, actor);
        context = new DefaultCamelContext();
        context.start();
        AutosyncJobs.add(context, job);
        ProducerTemplate template = context.createProducerTemplate();
        String uploadUri = MirrorRouteTemplates.uploadUri(job.id());

        // the watcher's request is being uploaded when the re-scan (or a pass) asks for the same key
        CompletableFuture<Exchange> first = template.asyncSend(uploadUri, e -> uploadRequest(e, file, "m/a.txt"));
        assertThat(actor.entered.await(30, TimeUnit.SECONDS)).isTrue();
        Exchange second = template.send(uploadUri, e -> uploadRequest(e, file, "m/a.txt"));
        assertThat(second.getException()).isNull();
        actor.release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).getException()).isNull();

        assertThat(actor.uploads).as("the second request folded into the first").containsExactly("m/a.txt");
        assertThat(s3.contents(bucket)).containsEntry("m/a.txt", "the content");
        assertThat(job.state().get("m/a.txt")).isPresent();
    }

    @Test
    void aLateRequestForANewFileAlreadyUploadedSendsNoSecondPutButATargetRepairDoes() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        Path file = Files.writeString(source.resolve("n.txt"), "found twice");
        String bucket = S3Fixture.uniqueBucket("late");
        s3.client.createBucket(r -> r.bucket(bucket));
        GatedActor actor = new GatedActor(new S3Actor(s3.client, bucket, S3ActorSettings.defaults()));
        actor.release.countDown();
        MirrorJob job = s3.job(source, "m", Files.createDirectories(work.resolve("state")), false,
                DeletePolicy.defaults(), Duration.ZERO, actor);
        context = new DefaultCamelContext();
        context.start();
        AutosyncJobs.add(context, job);
        ProducerTemplate template = context.createProducerTemplate();
        String uploadUri = MirrorRouteTemplates.uploadUri(job.id());

        // the watcher uploads the new file; the re-scan found it too and its request arrives after that upload ended
        template.send(uploadUri, e -> uploadRequest(e, file, "m/n.txt", "new"));
        Exchange late = template.send(uploadUri, e -> uploadRequest(e, file, "m/n.txt", "new"));
        assertThat(late.getException()).isNull();
        assertThat(actor.uploads).as("the late request found the file uploaded").containsExactly("m/n.txt");

        // a pass that finds the object missing sends it whatever the state says
        template.send(uploadUri, e -> uploadRequest(e, file, "m/n.txt", "missing in target"));
        assertThat(actor.uploads).containsExactly("m/n.txt", "m/n.txt");
        assertThat(s3.contents(bucket)).containsEntry("m/n.txt", "found twice");
    }

    @Test
    void objectOfAFileDeletedWhileItWasUploadedIsDeletedToo() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        Path file = Files.writeString(source.resolve("brief.txt"), "gone before the upload ends");
        String bucket = S3Fixture.uniqueBucket("raced");
        s3.client.createBucket(r -> r.bucket(bucket));
        // the file is deleted the moment its PUT completes: the watcher's delete event finds no record to delete
        ForwardingActor racing = new ForwardingActor(new S3Actor(s3.client, bucket, S3ActorSettings.defaults())) {
            @Override
            public String upload(Upload upload) throws IOException {
                String etag = super.upload(upload);
                Files.delete(upload.file());
                return etag;
            }
        };
        MirrorJob job = s3.job(source, "m", Files.createDirectories(work.resolve("state")), false,
                DeletePolicy.defaults(), Duration.ZERO, racing);
        context = new DefaultCamelContext();
        context.start();
        AutosyncJobs.add(context, job);

        Exchange sent = context.createProducerTemplate().send(MirrorRouteTemplates.uploadUri(job.id()),
                e -> uploadRequest(e, file, "m/brief.txt"));

        assertThat(sent.getException()).isNull();
        assertThat(s3.contents(bucket)).as("no object without its file").isEmpty();
        assertThat(job.state().get("m/brief.txt")).isEmpty();
    }
}
