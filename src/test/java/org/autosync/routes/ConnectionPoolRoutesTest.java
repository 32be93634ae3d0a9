package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.job.MirrorJob;
import org.autosync.safety.DeletePolicy;
import org.autosync.targets.s3.S3Actor;
import org.autosync.targets.s3.S3ActorSettings;
import org.autosync.targets.s3.S3ClientFactory;
import org.autosync.targets.s3.S3ClientSettings;
import org.autosync.testing.CountingBlobStore;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client's connection pool against the work of a job: every part of every multipart upload the job runs at
 * once gets a connection, rather than waiting for one (and timing out on a slow link).
 */
class ConnectionPoolRoutesTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    private static final int MIB = 1 << 20;
    /** The fixture's jobs run this many uploads at once. */
    private static final int THREADS = 4;

    @TempDir
    Path work;
    private CamelContext context;
    private S3Client client;

    @AfterEach
    void stop() throws Exception {
        s3.store.partDelay(Duration.ZERO);
        if (context != null) {
            context.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void should_give_every_part_of_concurrent_multipart_uploads_a_connection() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        int files = THREADS;
        for (int i = 0; i < files; i++) {
            Path f = Files.write(source.resolve("big" + i + ".bin"), new byte[4 * 5 * MIB]);
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - 10_000));
        }
        S3ActorSettings settings = S3ActorSettings.defaults().withMultipart(5 * MIB, 5 * MIB);
        // the client of one job of THREADS uploads, as the runtime builds it for an s3:// target
        client = S3ClientFactory.create(new S3ClientSettings(s3.server.endpoint(), s3.server.region(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.server.accessKey(), s3.server.secretKey())),
                THREADS).withPartConcurrency(settings.partConcurrency()));
        String bucket = S3Fixture.uniqueBucket("pool");
        S3Actor actor = new S3Actor(client, bucket, settings);
        MirrorJob job = s3.job(source, "m", Files.createDirectories(work.resolve("state")), false,
                DeletePolicy.defaults(), Duration.ZERO, actor);
        job.closeOnStop(actor);
        context = new DefaultCamelContext();
        context.start();
        AutosyncJobs.add(context, job);
        s3.store.resetCounts();
        // each part takes a second at the server: parts that wait for a connection show as fewer at once
        s3.store.partDelay(Duration.ofSeconds(1));

        context.createProducerTemplate().requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);

        assertThat(job.stats().snapshot().failed()).isZero();
        assertThat(s3.store.requestCounts().get(CountingBlobStore.MULTIPART_COMPLETE)).isEqualTo(files);
        assertThat(s3.store.maxConcurrentParts()).as("every part of the %d uploads in flight at once", files)
                .isEqualTo((long) files * settings.partConcurrency());
        System.out.printf("pool: %d parts at once at the server, %s%n", s3.store.maxConcurrentParts(),
                s3.store.requestCounts());
    }
}
