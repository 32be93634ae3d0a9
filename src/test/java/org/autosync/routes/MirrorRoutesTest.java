package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.autosync.testing.CountingBlobStore;
import org.autosync.testing.S3Fixture;
import org.autosync.job.MirrorJob;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's routes in continuous mode in a CamelContext: the first pass, then the file route between
 * reconciliations, all through the one upload route.
 */
class MirrorRoutesTest extends CamelTestSupport {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;
    private Path source;
    private String bucket;
    private MirrorJob job;



    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("existing.txt"), "existing");
        bucket = S3Fixture.uniqueBucket("routes");
        job = s3.job(source, bucket, "mirror", Files.createDirectories(work.resolve("state")), true);
        AutosyncJobs.add(context, job);
        return new RoutesBuilder[0];
    }

    private void startWithContentTypeStep() throws Exception {
        AdviceWith.adviceWith(context, MirrorRouteTemplates.routeId(MirrorRouteTemplates.UPLOAD, job.id()),
                a -> a.weaveByToUri(".*method=upload").before()
                        .setHeader("Content-Type", a.constant("text/x-autosync")));
        context.start();
    }

    private String contentType(String key) {
        return s3.client.headObject(r -> r.bucket(bucket).key(key)).contentType();
    }

    @Test
    void firstPassThenFileRouteUploadNewAndChangedFiles() throws Exception {
        startWithContentTypeStep();
        await().atMost(Duration.ofSeconds(20)).until(() -> s3.contents(bucket).containsKey("mirror/existing.txt"));

        Files.writeString(source.resolve("new.txt"), "new");
        Files.createDirectories(source.resolve("sub"));
        Files.writeString(source.resolve("sub/nested.txt"), "nested");
        await().atMost(Duration.ofSeconds(20)).until(() -> s3.contents(bucket).keySet()
                .containsAll(java.util.List.of("mirror/new.txt", "mirror/sub/nested.txt")));

        Files.writeString(source.resolve("existing.txt"), "EXISTING");
        await().atMost(Duration.ofSeconds(20)).until(() -> "EXISTING".equals(s3.contents(bucket).get("mirror/existing.txt")));
        assertThat(s3.contents(bucket)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "mirror/existing.txt", "EXISTING", "mirror/new.txt", "new", "mirror/sub/nested.txt", "nested"));
    }

    @Test
    void stepAddedToTheUploadRouteAppliesToReconciliationAndFileRoute() throws Exception {
        startWithContentTypeStep();
        await().atMost(Duration.ofSeconds(20)).until(() -> s3.contents(bucket).containsKey("mirror/existing.txt"));
        Files.writeString(source.resolve("later.txt"), "later");
        await().atMost(Duration.ofSeconds(20)).until(() -> s3.contents(bucket).containsKey("mirror/later.txt"));

        assertThat(contentType("mirror/existing.txt")).as("uploaded by reconciliation").isEqualTo("text/x-autosync");
        assertThat(contentType("mirror/later.txt")).as("uploaded by the file route").isEqualTo("text/x-autosync");
    }

    @Test
    void rescansSendNoRequestWhenNothingChanged() throws Exception {
        s3.store.resetCounts();
        startWithContentTypeStep();
        await().atMost(Duration.ofSeconds(20)).until(() -> s3.contents(bucket).containsKey("mirror/existing.txt"));
        String scan = MirrorRouteTemplates.routeId(MirrorRouteTemplates.SCAN, job.id());
        // the first pass starts the file route once it is over
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getRouteController().getRouteStatus(scan).isStarted());
        Map<String, Long> firstPass = s3.store.requestCounts();
        assertThat(firstPass.get(CountingBlobStore.LIST)).as("the pass listed the bucket").isPositive();
        assertThat(firstPass.get(CountingBlobStore.PUT)).as("the pass uploaded existing.txt").isPositive();
        s3.store.resetCounts();
        NotifyBuilder rescanFound = new NotifyBuilder(context).fromRoute(scan).whenReceived(1).create();

        Rescans.awaitPolls(context, job, 5, Duration.ofSeconds(20)); // five 200 ms re-scans of the unchanged tree

        assertThat(rescanFound.matches()).as("a re-scan offered a file to upload").isFalse();
        assertThat(s3.store.requestCounts()).allSatisfy((type, count) -> assertThat(count).as(type).isZero());

        // the same re-scans see an edit, and send exactly its upload (renamed into place: never seen half-written)
        Path edited = Files.writeString(work.resolve("existing.txt.new"), "EDITED");
        Files.move(edited, source.resolve("existing.txt"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(20)).until(() -> "EDITED".equals(s3.contents(bucket).get("mirror/existing.txt")));
        assertThat(rescanFound.matches()).isTrue();
        assertThat(s3.store.requestCounts().get(CountingBlobStore.PUT)).isEqualTo(1);
    }

    @Test
    void reconciliationDeletesObjectWhenSourceFileIsRemoved() throws Exception {
        Files.writeString(source.resolve("doomed.txt"), "doomed");
        startWithContentTypeStep();
        await().atMost(Duration.ofSeconds(20)).until(() -> s3.contents(bucket).containsKey("mirror/doomed.txt"));

        Files.delete(source.resolve("doomed.txt"));
        template.requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);

        assertThat(s3.contents(bucket)).containsOnlyKeys("mirror/existing.txt");
        assertThat(job.stats().snapshot().deleted()).isEqualTo(1);
    }
}
