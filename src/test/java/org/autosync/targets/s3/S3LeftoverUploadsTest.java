package org.autosync.targets.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.autosync.state.MvStoreSyncState;
import org.autosync.targets.Upload;
import org.autosync.testing.CountingBlobStore;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multipart journal's intents and the per-listing abort of leftovers, against a real S3Proxy: what a failed
 * create leaves, and that a listing never aborts an upload this process has in flight.
 */
class S3LeftoverUploadsTest {

    private static final int MIB = 1 << 20;

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;
    private MvStoreSyncState journal;
    private S3Actor actor;
    private String bucket;

    @BeforeEach
    void openJournal() {
        journal = new MvStoreSyncState(work.resolve("journal.mv.db"));
        journal.start();
        bucket = S3Fixture.uniqueBucket("leftovers");
        actor = new S3Actor(s3.client, bucket, S3ActorSettings.defaults().withMultipart(5 * MIB, 5 * MIB)
                .withPartConcurrency(1));
        actor.useJournal(journal);
    }

    @AfterEach
    void close() {
        s3.server.restart(); // in case a test left it stopped
        s3.store.partDelay(Duration.ZERO);
        actor.close();
        journal.stop();
    }

    private Upload bigFile(String key) throws Exception {
        Path file = Files.write(work.resolve(key.replace('/', '_')), new byte[11 * MIB]);
        return new Upload(key, file, 11 * MIB, 0L, null, Map.of());
    }

    @Test
    void should_drop_the_intent_of_a_create_the_server_refused() throws Exception {
        // no bucket: CreateMultipartUpload gets a 404, so no upload exists
        assertThatThrownBy(() -> actor.upload(bigFile("m/refused.bin"))).isNotNull();

        assertThat(journal.intents()).isEmpty();
        assertThat(journal.pending()).isEmpty();
    }

    @Test
    void should_keep_the_intent_of_an_unanswered_create_until_a_listing_finds_nothing_to_abort() throws Exception {
        s3.client.createBucket(b -> b.bucket(bucket));
        s3.server.stop();
        assertThatThrownBy(() -> actor.upload(bigFile("m/unanswered.bin"))).isNotNull();
        assertThat(journal.intents()).as("the create may have reached the server").containsValue("m/unanswered.bin");

        s3.server.restart();
        s3.store.resetCounts();
        actor.list("m/").close();

        assertThat(journal.intents()).isEmpty();
        assertThat(s3.store.requestCounts().get(CountingBlobStore.MULTIPART_ABORT)).isZero();
    }

    @Test
    void should_not_abort_an_upload_in_flight_when_listing() throws Exception {
        s3.client.createBucket(b -> b.bucket(bucket));
        s3.store.resetCounts();
        s3.store.partDelay(Duration.ofMillis(500));
        Upload upload = bigFile("m/running.bin");
        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> {
            try {
                return actor.upload(upload);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(20))
                .until(() -> s3.store.requestCounts().get(CountingBlobStore.MULTIPART_PART) >= 1);
        assertThat(journal.pending()).as("journaled while it runs").containsValue("m/running.bin");

        actor.list("m/").close();

        assertThat(running.get()).isNotBlank();
        assertThat(s3.store.requestCounts().get(CountingBlobStore.MULTIPART_ABORT)).isZero();
        assertThat(s3.contents(bucket)).containsKey("m/running.bin");
        assertThat(journal.pending()).isEmpty();
        assertThat(journal.intents()).isEmpty();
    }
}
