package org.autosync.targets.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.autosync.embedded.EmbeddedS3;
import org.autosync.testing.CountingBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 100 MiB multipart upload in a JVM limited to 64 MiB of heap: parts are streamed, not buffered. */
class S3ActorHeapTest {

    @Test
    void uploadsAHundredMebibyteFileWithSixtyFourMebibytesOfHeap(@TempDir Path storage, @TempDir Path work)
            throws Exception {
        Path file = work.resolve("big.bin");
        byte[] chunk = new byte[1024 * 1024];
        Random random = new Random(7);
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < 100; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        CountingBlobStore.Counted counted = CountingBlobStore.start(EmbeddedS3.builder(storage));
        try (EmbeddedS3 s3 = counted.server()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                    UploadInSmallHeapMain.class.getName(), s3.endpoint().toString(), s3.accessKey(), s3.secretKey(),
                    "heap-check", file.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("child.log").toFile())
                    .start();
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(work.resolve("child.log"), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(log).isZero();
            assertThat(log).contains("ETAG ").doesNotContain("OutOfMemoryError");
            assertThat(counted.store().requestCounts()).containsEntry("MULTIPART_PART", 7L).containsEntry("MULTIPART_COMPLETE", 1L);
        }
    }
}
