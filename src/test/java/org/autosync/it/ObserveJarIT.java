package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar with --http_port: health checks and Prometheus metrics of its jobs over camel-main's embedded server. */
class ObserveJarIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path work;

    @Test
    void servesHealthAndMetricsThatCountTheUploadedFiles() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        int files = 7;
        long bytes = 0;
        for (int i = 0; i < files; i++) {
            Files.write(source.resolve("file-" + i + ".bin"), new byte[1000 * (i + 1)]);
            bytes += 1000L * (i + 1);
        }
        int port = freePort();
        JarProcess.Running autosync = new JarProcess().in(work).start(List.of("--embedded-s3=" + work.resolve("store"),
                "--state_dir=" + work.resolve("state"), "--source_prefix=" + work, "--http_port=" + port, "src"));
        try {
            String base = "http://127.0.0.1:" + port + "/observe/";
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> get(base + "health").statusCode() == 200);

            assertThat(get(base + "health").body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(get(base + "health?exposureLevel=full").body()).contains("{\"name\":\"autosync-job1\",\"status\":\"UP\"}");
            String metrics = get(base + "metrics").body();
            assertThat(value(metrics, "autosync_uploaded_files_total")).isEqualTo(files);
            assertThat(value(metrics, "autosync_uploaded_bytes_total")).isEqualTo(bytes);
            assertThat(value(metrics, "autosync_deleted_objects_total")).isZero();
            assertThat(value(metrics, "autosync_pending_files")).isZero();
            assertThat(value(metrics, "autosync_healthy")).isEqualTo(1);
            assertThat(metrics).contains("autosync_passes_total{job=\"job1\",outcome=\"complete\"");
        } finally {
            autosync.process().destroy();
            autosync.process().waitFor(30, TimeUnit.SECONDS);
            autosync.cleanUp();
        }
    }

    @Test
    void withoutHttpPortNoServerListens() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("a.txt"), "a");
        JarProcess.Result result = new JarProcess().in(work).run("--embedded-s3=" + work.resolve("store"), "--once",
                "--state_dir=" + work.resolve("state"), "--source_prefix=" + work, "src");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr()).doesNotContain("/observe/health");
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the one sample of {@code metric} for job1. */
    private static long value(String metrics, String metric) {
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{job=\"job1\"[^}]*\\} (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(metric + " in\n" + metrics).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
