package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.job.MirrorJob;
import org.autosync.reconcile.Reconciler;
import org.autosync.safety.DeletePolicy;
import org.autosync.targets.Actor;
import org.autosync.targets.ForwardingActor;
import org.autosync.targets.s3.S3Actor;
import org.autosync.targets.s3.S3ActorSettings;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** A file the pass cannot mirror is skipped and reported; the pass goes on, uploads the rest and still deletes. */
class NotMirroredFilesRoutesTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;
    private CamelContext context;
    private Path source;
    private String bucket;

    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.close();
        }
    }

    private Reconciler.PassResult pass(Actor actor) throws Exception {
        MirrorJob job = s3.job(source, "m", Files.createDirectories(work.resolve("state")), false,
                DeletePolicy.defaults(), Duration.ZERO, actor);
        context = new DefaultCamelContext();
        context.start();
        AutosyncJobs.add(context, job);
        Exchange done = context.createProducerTemplate().send(MirrorRouteTemplates.reconcileUri(job.id()), e -> { });
        assertThat(done.getException()).isNull();
        assertThat(job.stats().snapshot().failed()).isEqualTo(2);
        return done.getMessage().getBody(Reconciler.PassResult.class);
    }

    @Test
    void namesThatAreNotValidUtf8AreReportedAndThePassGoesOn() throws Exception {
        source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("ok.txt"), "ok");
        Process touch = new ProcessBuilder("sh", "-c", "cd \"$0\" && touch \"$(printf 'b\\377')\" \"$(printf 'b\\376')\"",
                source.toString()).inheritIO().start();
        assertThat(touch.waitFor()).isZero();
        bucket = S3Fixture.uniqueBucket("names");
        s3.client.createBucket(r -> r.bucket(bucket));
        s3.client.putObject(r -> r.bucket(bucket).key("m/gone.txt"), RequestBody.fromString("gone"));
        s3.client.putObject(r -> r.bucket(bucket).key("m/b\uFFFD"), RequestBody.fromString("an earlier upload"));

        Reconciler.PassResult result = pass(new S3Actor(s3.client, bucket, S3ActorSettings.defaults()));

        assertThat(result.notMirrored()).hasSize(2).allMatch(line -> line.contains("not valid UTF-8"));
        assertThat(result.deleteBlockReason()).isEmpty();
        assertThat(s3.contents(bucket)).as("uploaded, deleted, and the object of the unmappable name kept")
                .containsOnlyKeys("m/ok.txt", "m/b\uFFFD");
    }

    @Test
    void anObjectThatCannotBeComparedIsReportedAndThePassGoesOn() throws Exception {
        source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("ok.txt"), "ok");
        Files.writeString(source.resolve("x.txt"), "same size");
        Files.writeString(source.resolve("y.txt"), "same size");
        bucket = S3Fixture.uniqueBucket("head");
        s3.client.createBucket(r -> r.bucket(bucket));
        s3.client.putObject(r -> r.bucket(bucket).key("m/gone.txt"), RequestBody.fromString("gone"));
        for (String key : new String[] {"m/x.txt", "m/y.txt"}) { // multipart ETags: compared by a HEAD, not by MD5
            String upload = s3.client.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
            String etag = s3.client.uploadPart(r -> r.bucket(bucket).key(key).uploadId(upload).partNumber(1),
                    RequestBody.fromString("same size")).eTag();
            s3.client.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(upload)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        }
        Actor headFails = new ForwardingActor(new S3Actor(s3.client, bucket, S3ActorSettings.defaults())) {
            @Override
            public Optional<Long> storedMtimeMillis(String key) {
                throw new IllegalStateException("HEAD " + key + ": 503 Slow Down");
            }
        };

        Reconciler.PassResult result = pass(headFails);

        assertThat(result.notMirrored()).hasSize(2).allMatch(line -> line.contains("503 Slow Down"));
        assertThat(s3.contents(bucket)).containsOnlyKeys("m/ok.txt", "m/x.txt", "m/y.txt");
    }
}
