package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.job.MirrorJob;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class JobLifecycleRoutesTest {

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

    /**
     * Live threads of Camel's pools and of the actors, by name with the digits taken out (pool threads are
     * numbered), and how many of each; the JVM's and the test tools' own threads come and go on their own.
     */
    private static Map<String, Long> threads() {
        Map<String, Long> byName = new TreeMap<>();
        Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("Camel") || t.getName().contains("actor") || t.getName().contains("autosync"))
                .forEach(t -> byName.merge(t.getName().replaceAll("\\d+", "#"), 1L, Long::sum));
        return byName;
    }

    private void addRunAndRemove(Path source, String bucket, int round) throws Exception {
        String jobId = "cycle" + round;
        AutosyncJobs.add(context, Map.of("jobId", jobId, "source", source.toString(), "target", "s3://" + bucket + "/r" + round,
                "stateDir", work.resolve("state").toString(), "watch", "events"));
        MirrorJob job = AutosyncJobs.job(context, jobId);
        await().atMost(Duration.ofSeconds(30)).until(job::firstPassDone);
        await().atMost(Duration.ofSeconds(10)).until(job::watching);
        AutosyncJobs.remove(context, jobId);
    }

    @Test
    void addingAndRemovingAJobFiftyTimesLeavesNoThreadBehind() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("a.txt"), "a");
        String bucket = S3Fixture.uniqueBucket("cycle");
        context = new DefaultCamelContext();
        context.getRegistry().bind(JobTemplate.S3_DEFAULTS, s3.defaults());
        context.start();
        AutosyncJobs.addTemplates(context);
        // the first rounds start what the context and the SDK keep for good (shared timers, the connection reaper)
        for (int round = 0; round < 3; round++) {
            addRunAndRemove(source, bucket, round);
        }
        Map<String, Long> before = threads();

        for (int round = 3; round < 53; round++) {
            addRunAndRemove(source, bucket, round);
        }

        // pool threads may also have ended meanwhile (idle timeouts): none may be more than before
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(threads()).allSatisfy(
                (name, count) -> assertThat(count).as(name).isLessThanOrEqualTo(before.getOrDefault(name, 0L))));
        assertThat(context.getRegistry().findByType(MirrorJob.class)).isEmpty();
    }
}
