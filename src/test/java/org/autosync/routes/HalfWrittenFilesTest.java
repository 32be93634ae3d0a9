package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.autosync.testing.CountingBlobStore;
import org.autosync.testing.S3Fixture;
import org.autosync.job.MirrorJob;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Files that are still being written: never uploaded half-written, and uploaded again when they change
 * while being uploaded. Real S3 (S3Proxy, auth on), the job's routes in a CamelContext.
 */
class HalfWrittenFilesTest extends CamelTestSupport {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;



    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        return new RoutesBuilder[] {new MirrorRouteTemplates()};
    }

    /** Content length of the object, or -1 while there is none (or no bucket yet). */
    private static long objectLength(String bucket, String key) {
        try {
            return s3.client.headObject(r -> r.bucket(bucket).key(key)).contentLength();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw e;
        }
    }

    private static byte[] object(String bucket, String key) {
        return s3.client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    }

    @Test
    void slowWriterIsNeverUploadedWhileItWrites() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        String bucket = S3Fixture.uniqueBucket("slow");
        MirrorJob job = s3.job(source, bucket, "", Files.createDirectories(work.resolve("state")), true,
                Duration.ofMillis(500));
        AutosyncJobs.add(context, job);
        Path file = source.resolve("recording.wav");
        Set<Long> writtenSizes = ConcurrentHashMap.newKeySet();
        Set<Long> seenLengths = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicInteger heads = new AtomicInteger();

        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                seenLengths.add(objectLength(bucket, "recording.wav"));
                heads.incrementAndGet();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "object-watcher");
        Thread writer = new Thread(() -> {
            Random random = new Random(42);
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND)) {
                while (System.nanoTime() < end) {
                    byte[] chunk = new byte[1 + random.nextInt(4096)];
                    random.nextBytes(chunk);
                    out.write(chunk);
                    out.flush();
                    writtenSizes.add(Files.size(file));
                    Thread.sleep(100 + random.nextInt(201));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                writing.set(false);
            }
        }, "slow-writer");
        s3.store.resetCounts();
        watcher.start();
        writer.start();
        // the first reconciliation and then the 200 ms re-scans all run while the writer writes
        context.start();
        writer.join();
        long pollsWhileWriting = Rescans.consumer(context, job).getCounter();
        byte[] finished = Files.readAllBytes(file);

        await().atMost(Duration.ofSeconds(20)).until(() -> objectLength(bucket, "recording.wav") == finished.length);
        watching.set(false);
        watcher.join();

        assertThat(object(bucket, "recording.wav")).isEqualTo(finished);
        assertThat(writtenSizes).as("sizes the file had while written").hasSizeGreaterThan(15);
        assertThat(heads.get()).as("HEAD requests while written").isPositive();
        // counted at the server, whatever the sampling above caught: one upload, of the finished file
        assertThat(s3.store.requestCounts().get(CountingBlobStore.PUT)).as("PUTs").isEqualTo(1);
        assertThat(s3.store.requestCounts().get(CountingBlobStore.MULTIPART)).as("multipart requests").isZero();
        assertThat(seenLengths).as("object lengths ever observed (-1: no object)")
                .isSubsetOf(-1L, (long) finished.length);
        assertThat(pollsWhileWriting).as("re-scans that met the file while it was written").isGreaterThanOrEqualTo(5);
    }

    @Test
    void fileChangedDuringUploadIsUploadedAgain() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        Path file = Files.writeString(source.resolve("report.csv"), "a,b\n1,2\n");
        String bucket = S3Fixture.uniqueBucket("changed");
        MirrorJob job = s3.job(source, bucket, "", Files.createDirectories(work.resolve("state")), false,
                Duration.ofMillis(100));
        AutosyncJobs.add(context, job);
        AtomicBoolean appended = new AtomicBoolean();
        // between examination and upload the writer appends a line, exactly once
        AdviceWith.adviceWith(context, MirrorRouteTemplates.routeId(MirrorRouteTemplates.UPLOAD, job.id()),
                a -> a.weaveByToUri(".*method=upload").before().process(exchange -> {
                    if (appended.compareAndSet(false, true)) {
                        Files.writeString(file, "3,4\n", StandardOpenOption.APPEND);
                    }
                }));
        context.start();
        s3.store.resetCounts();

        template.requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);

        assertThat(appended).isTrue();
        assertThat(new String(object(bucket, "report.csv"))).isEqualTo("a,b\n1,2\n3,4\n");
        assertThat(s3.store.requestCounts().get(CountingBlobStore.PUT)).as("PUTs").isEqualTo(2L);
        assertThat(job.stats().snapshot().uploadedFiles()).isEqualTo(1);
        assertThat(job.stats().snapshot().uploadedBytes()).isEqualTo(12);
        assertThat(job.stats().snapshot().failed()).isZero();

        // the state holds what was uploaded last: the next pass finds the file unchanged
        template.requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);
        assertThat(job.stats().snapshot().uploadedFiles()).isEqualTo(1);
        assertThat(job.stats().snapshot().unchanged()).isEqualTo(1);
        assertThat(Arrays.asList(new String(object(bucket, "report.csv")).split("\n"))).hasSize(3);
    }
}
