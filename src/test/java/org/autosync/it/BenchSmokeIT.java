package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code bench/run} working: its smoke version (tiny trees, one repetition) against the built jar. It
 * asserts that every step ran and every bucket equalled its tree, never a time. Without rclone it is skipped,
 * except in CI, where .ci/run installs it.
 */
class BenchSmokeIT {

    @TempDir
    Path work;

    @Test
    void smokeRunVerifiesEveryStepAndPrintsARowForEach() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean rclone = new ProcessBuilder("sh", "-c", "command -v rclone").start().waitFor() == 0;
        assumeTrue(ci || rclone, "rclone is not installed (bench/run would install it with apt-get)");

        Path output = work.resolve("output.txt");
        Process bench = new ProcessBuilder("bash", "bench/run", "--smoke", "--work=" + work.resolve("bench"),
                "--jar=" + JarProcess.JAR).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = bench.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            bench.descendants().forEach(ProcessHandle::destroyForcibly);
            bench.destroyForcibly();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);

        assertThat(finished).as(out).isTrue();
        assertThat(bench.exitValue()).as(out).isZero();
        assertThat(out).contains("VERIFICATION PASSED").doesNotContain("VERIFICATION FAILED");
        for (String tree : new String[] {"t10k", "mixed"}) {
            assertThat(out).as(out)
                    .containsPattern("\\| " + tree + " \\| initial \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|")
                    .containsPattern("\\| " + tree + " \\| no-op --once \\| [0-9.]+ \\| [0-9.]+ \\|")
                    .containsPattern("\\| " + tree + " \\| 1% changed/added/deleted \\| [0-9.]+ \\| [0-9.]+ \\|");
        }
        assertThat(out).as(out)
                .containsPattern("\\| 72mib \\| initial \\|")
                .contains("72 MiB file", "server alone (curl PUT)")
                .containsPattern("median [0-9]+ ms, p99 [0-9]+ ms")
                .contains("continuous mode, nothing changes")
                .containsPattern("2,000 files tracked.*RSS [0-9]+ MB")
                .containsPattern("a drop of 200 new 4096-byte files.*[0-9.]+ ms CPU per file")
                .containsPattern("[0-9.]+ ms CPU per event");
        assertThat(work.resolve("bench/results.md")).content().contains("| t10k | initial |", "72 MiB file");
    }
}
