package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.autosync.embedded.EmbeddedS3;
import org.autosync.soak.Journal;
import org.autosync.soak.RequestLog;
import org.autosync.soak.RequestLogBlobStore;
import org.autosync.soak.SoakClock;
import org.autosync.soak.SoakWriter;
import org.autosync.soak.SwiftProxyLog;
import org.autosync.soak.TreeSnapshot;
import org.autosync.targets.s3.S3ClientFactory;
import org.autosync.targets.s3.S3ClientSettings;
import org.autosync.targets.swift.SwiftCluster;
import org.autosync.targets.swift.SwiftTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * "Nothing lost under concurrency and faults": the built jar in continuous mode with its default intervals (events,
 * a 10 s re-scan, a 15 min reconciliation, so convergence comes from the events and from the first pass after a
 * restart) on a tree of a few thousand small files, while a seeded random writer changes the tree for about a
 * minute, the target is unavailable for 10 s and the Autosync JVM is killed with SIGKILL twice and restarted.
 *
 * <p>Requirements, all asserted: within 2 minutes of the writer stopping the target equals the tree (keys, sizes,
 * MD5s) with no incomplete multipart upload left; no DELETE ever reached the server for a key whose file existed
 * without a break from before the request (by more than {@link #TOLERANCE_MICROS}) until after it, judged from the
 * server's own request log against the writer's journal; the Autosync process never exits by itself.
 *
 * <p>The seed is printed at the start and in every failure; {@code -Dsoak.seed=N} replays the writer's operations
 * and the fault schedule (what Autosync does in between depends on timing). Figures are printed in one block at the
 * end; the outputs of every Autosync run are kept under {@code target/soak/}.
 *
 * <p>The only non-default option is {@code --multipart_threshold=5MiB --part_size=5MiB} on S3, so that the few
 * 5.5-11.5 MiB files the writer makes go up in parts and the kills can leave uploads in flight. The Swift run is
 * smaller (fewer files, a shorter writer) and its outage is a freeze of the object server: SIGSTOP for 10 s, then
 * SIGCONT, so that object requests hang until the proxy's node timeout and fail with 503 while auth and listings go
 * on. Stopping the proxy itself is impractical: restarting it on the same port would need swift-aio.sh to respawn
 * and re-record it, and freezing it instead makes its memcache client error-limit memcached for a minute after
 * the resume (every auth then fails with 503), which is the test cluster's artefact, not an outage of 10 s.
 */
class SoakJarIT {

    private static final long SEED = Long.getLong("soak.seed", new SecureRandom().nextLong());
    /** A DELETE is wrong if the file was there this long before the request arrived and still after it was served. */
    private static final long TOLERANCE_MICROS = 200_000;
    private static final Duration CONVERGENCE_LIMIT = Duration.ofMinutes(2);
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @TempDir
    Path work;

    /** The size of one run and when its faults happen, seconds after the writer started. */
    private record Plan(String name, int files, int dirs, Duration writerTime, Duration meanPause, boolean bigFiles,
                        double kill1At, double restartAfter, double kill2At, double outageAt) {

        /**
         * {@code meanPauseMillis} sets the writer's pace: the keys it removes (deletes, renames, removed
         * directories) should stay well under half the tree per 60 s, the default event-delete limit, so that the
         * rail that stops mass deletes is not what holds the run up.
         */
        static Plan of(String name, int files, int dirs, int writerSeconds, int meanPauseMillis, boolean bigFiles) {
            Random r = new Random(SEED ^ name.hashCode());
            double s = writerSeconds;
            return new Plan(name, files, dirs, Duration.ofSeconds(writerSeconds), Duration.ofMillis(meanPauseMillis), bigFiles,
                    s * 0.15 + r.nextDouble() * s * 0.1, 1 + r.nextDouble() * 2, s * 0.4 + r.nextDouble() * s * 0.1,
                    s * 0.6 + r.nextDouble() * s * 0.05);
        }
    }

    /** What differs between S3 and Swift: how to run against it, look into it, and take it away for a while. */
    private interface Target extends AutoCloseable {
        JarProcess autosync(Path dir);

        List<String> targetArgs();

        /** Key to size and MD5 of what the target holds now; the test's own requests are counted in {@link #own}. */
        Map<String, TreeSnapshot.Entry> listing() throws Exception;

        /** Incomplete multipart uploads (S3) or segments (Swift) left behind. */
        List<String> leftovers() throws Exception;

        void outageStart() throws Exception;

        void outageEnd() throws Exception;

        String outageName();

        RequestLog requests() throws Exception;

        /** The test's own requests by kind, to subtract from the request log's figures. */
        Map<String, Long> own();

        @Override
        void close() throws Exception;
    }

    @Test
    void s3_nothing_lost_under_concurrency_kill_and_outage() throws Exception {
        try (S3Target target = new S3Target(work.resolve("s3-storage"), "soak")) {
            soak(target, Plan.of("s3", 2500, 120, 60, 30, true));
        }
    }

    @Test
    void swift_nothing_lost_under_concurrency_kill_and_freeze() throws Exception {
        try (SwiftTarget target = new SwiftTarget("soak" + Long.toHexString(SEED & 0xffffff) + "x"
                + System.currentTimeMillis() % 100000)) {
            soak(target, Plan.of("swift", 1000, 50, 40, 80, false));
        }
    }

    private void soak(Target target, Plan plan) throws Exception {
        System.out.printf("[soak %s] seed %d (replay with -Dsoak.seed=%d)%n", plan.name(), SEED, SEED);
        Path src = work.resolve("src");
        Path state = work.resolve("state");
        Path keep = Path.of("target", "soak", plan.name() + "-" + SEED).toAbsolutePath();
        Files.createDirectories(keep);
        Journal journal = new Journal();
        SoakWriter writer = new SoakWriter(src, SEED, journal, plan.bigFiles());
        writer.populate(plan.files(), plan.dirs());
        List<String> args = new ArrayList<>(target.targetArgs());
        args.addAll(List.of("--state_dir=" + state, "--source_prefix=" + src, src.toString()));

        List<String> problems = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        long origin = Journal.nowMicros();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writerThread = new Thread(() -> {
            try {
                writer.run(plan.writerTime(), plan.meanPause());
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        }, "soak-writer");

        JarProcess.Running autosync = target.autosync(work).start(args);
        long t0 = System.nanoTime();
        writerThread.start();
        Long convergedMillis = null;
        List<String> lastDifferences = List.of();
        Map<String, TreeSnapshot.Entry> expected = Map.of();
        Map<String, TreeSnapshot.Entry> actual = Map.of();
        List<String> leftovers = List.of();
        try {
            sleepUntil(t0, plan.kill1At());
            autosync = kill(autosync, origin, faults, runs, problems, keep);
            Thread.sleep((long) (plan.restartAfter() * 1000));
            autosync = target.autosync(work).start(args);
            faults.add("restarted at " + SoakClock.rel(Journal.nowMicros(), origin));

            sleepUntil(t0, plan.kill2At());
            autosync = kill(autosync, origin, faults, runs, problems, keep);
            autosync = target.autosync(work).start(args);
            faults.add("restarted at once");

            // last, so that what failed during it must be made good without the help of a restart
            sleepUntil(t0, plan.outageAt());
            long outageStart = Journal.nowMicros();
            target.outageStart();
            try {
                Thread.sleep(OUTAGE.toMillis());
            } finally {
                target.outageEnd();
            }
            faults.add(target.outageName() + " " + SoakClock.rel(outageStart, origin) + ".."
                    + SoakClock.rel(Journal.nowMicros(), origin));

            writerThread.join();
            long writerStopped = System.nanoTime();
            System.out.printf("[soak %s] writer stopped at %s%n", plan.name(), SoakClock.rel(Journal.nowMicros(), origin));
            if (writerFailure.get() != null) {
                throw new AssertionError("seed " + SEED + ": the writer failed", writerFailure.get());
            }
            expected = TreeSnapshot.of(src);
            assertThat(expected.keySet()).as("seed %d: the writer's model of the tree", SEED)
                    .containsExactlyElementsOf(writer.files());

            long deadline = writerStopped + CONVERGENCE_LIMIT.toNanos();
            while (true) {
                try {
                    actual = target.listing();
                    leftovers = target.leftovers();
                    lastDifferences = TreeSnapshot.differences(expected, actual);
                } catch (Exception e) { // the target still recovering: not converged yet
                    lastDifferences = List.of("the target could not be listed: " + e);
                }
                if (lastDifferences.isEmpty() && leftovers.isEmpty()) {
                    convergedMillis = (System.nanoTime() - writerStopped) / 1_000_000;
                    break;
                }
                if (System.nanoTime() > deadline || !autosync.process().isAlive()) {
                    break;
                }
                Thread.sleep(500);
            }
        } finally {
            writerThread.interrupt();
            writerThread.join(10_000);
            target.outageEnd();
            if (autosync.process().isAlive()) {
                autosync.process().destroy(); // SIGTERM: the orderly stop
                if (!autosync.process().waitFor(45, TimeUnit.SECONDS)) {
                    problems.add("autosync did not stop within 45 s of SIGTERM");
                    autosync.process().destroyForcibly();
                    autosync.process().waitFor(30, TimeUnit.SECONDS);
                }
                runs.add("stopped by SIGTERM, exit " + autosync.process().exitValue());
            } else {
                problems.add("autosync exited by itself with code " + autosync.process().exitValue()
                        + " (continuous mode must keep running): " + tail(autosync.stderrSoFar()));
                runs.add("exited by itself with code " + autosync.process().exitValue());
            }
            save(autosync, keep, runs.size());
            autosync.cleanUp();
        }

        if (convergedMillis == null) {
            problems.add("the target did not equal the tree within " + CONVERGENCE_LIMIT.toSeconds()
                    + " s of the writer stopping: " + lastDifferences
                    + (leftovers.isEmpty() ? "" : "; left over: " + leftovers));
        }
        RequestLog requests = target.requests();
        Files.write(keep.resolve("requests.log"), requests.all().stream().map(r -> r.format(origin)).toList());
        if (convergedMillis == null) {
            for (String key : TreeSnapshot.differingKeys(expected, actual).stream().limit(5).toList()) {
                problems.add("  " + key + ": local " + expected.get(key) + ", target " + actual.get(key)
                        + ", journal " + journal.describe(key, origin) + ", last requests " + requests.excerpt(key, origin, 6));
            }
        }

        List<RequestLog.Request> deletes = requests.deletes();
        List<String> wrong = new ArrayList<>();
        int nearMisses = 0;
        for (RequestLog.Request d : deletes) {
            Optional<long[]> there = journal.existedThroughout(d.key(), d.startMicros(), d.endMicros(), TOLERANCE_MICROS);
            if (there.isPresent()) {
                wrong.add(d.format(origin) + " while the file existed " + journal.describe(d.key(), origin)
                        + "; requests on it: " + requests.excerpt(d.key(), origin, 8));
            } else if (journal.existedThroughout(d.key(), d.startMicros(), d.endMicros(), 0).isPresent()) {
                nearMisses++;
            }
        }
        if (!wrong.isEmpty()) {
            problems.add(wrong.size() + " DELETE(s) of a key whose file existed throughout the request: "
                    + wrong.subList(0, Math.min(10, wrong.size())));
        }

        Map<String, Long> counts = new TreeMap<>(requests.counts());
        target.own().forEach((kind, n) -> counts.computeIfPresent(kind, (k, v) -> v - n));
        Map<SoakWriter.Op, Integer> ops = writer.applied();
        String block = String.join("\n",
                "==== soak " + plan.name() + ", seed " + SEED + " (-Dsoak.seed=" + SEED + ") ====",
                "tree: " + plan.files() + " files in " + plan.dirs() + " directories at the start, " + expected.size()
                        + " files at the end; writer ran " + plan.writerTime().toSeconds() + " s, wrote "
                        + writer.bytesWritten() / 1024 + " KiB",
                "operations (" + ops.values().stream().mapToInt(Integer::intValue).sum() + "): " + ops
                        + "; keys removed from the tree: " + writer.removals(),
                "faults (" + faults.stream().filter(f -> !f.startsWith("restarted")).count() + "): "
                        + String.join("; ", faults),
                "autosync runs: " + runs,
                "time to converge: " + (convergedMillis == null ? "NOT converged within "
                        + CONVERGENCE_LIMIT.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", convergedMillis / 1000.0)),
                "left over (incomplete uploads/segments): " + leftovers.size(),
                "deletes sent: " + deletes.size() + " keys in " + counts.getOrDefault(RequestLog.DELETE_REQUEST, 0L)
                        + " requests",
                "wrong deletes: " + wrong.size() + " (tolerance " + TOLERANCE_MICROS / 1000 + " ms; within it: "
                        + nearMisses + ")",
                "requests by type (autosync's; the test's own subtracted): " + counts,
                "autosync warnings and errors by logger: " + warnings(keep),
                "outputs: " + keep,
                "====");
        System.out.println(block);
        Files.writeString(keep.resolve("figures.txt"), block + "\n" + String.join("\n", problems) + "\n");

        assertThat(problems).as("soak %s, seed %d (replay with -Dsoak.seed=%d); figures:%n%s", plan.name(), SEED, SEED,
                block).isEmpty();
    }

    /** SIGKILL to the Autosync JVM itself (the launcher is not in between: JarProcess runs java directly). */
    private static JarProcess.Running kill(JarProcess.Running autosync, long origin, List<String> faults,
                                           List<String> runs, List<String> problems, Path keep) throws Exception {
        Process p = autosync.process();
        String command = p.info().command().orElse("?");
        if (!p.isAlive()) {
            problems.add("autosync exited by itself with code " + p.exitValue() + " before the kill: "
                    + tail(autosync.stderrSoFar()));
            runs.add("exited by itself with code " + p.exitValue());
        } else {
            assertThat(command).as("the process to kill is the JVM").endsWith("/java");
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();
            faults.add("SIGKILL pid " + p.pid() + " at " + SoakClock.rel(Journal.nowMicros(), origin));
            runs.add("killed (exit " + p.exitValue() + ")");
        }
        save(autosync, keep, runs.size());
        autosync.cleanUp();
        return autosync;
    }

    private static void save(JarProcess.Running run, Path keep, int n) throws IOException {
        Files.copy(run.out(), keep.resolve("autosync-" + n + ".out"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(run.err(), keep.resolve("autosync-" + n + ".err"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** WARN and ERROR lines of the kept Autosync outputs, counted by level and logger. */
    private static Map<String, Integer> warnings(Path keep) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        try (var files = Files.list(keep)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".err")).toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\S+ (WARN|ERROR) +\\[(\\w+)\\]")
                            .matcher(line);
                    if (m.find()) {
                        counts.merge(m.group(1) + " " + m.group(2), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    private static String tail(String s) {
        return s.length() > 1500 ? "…" + s.substring(s.length() - 1500) : s;
    }

    private static void sleepUntil(long t0, double seconds) throws InterruptedException {
        long wait = t0 + (long) (seconds * 1e9) - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    // ---- S3: S3Proxy in this JVM, auth on, every request logged by the blob store

    private static final class S3Target implements Target {
        private final RequestLog log = new RequestLog();
        private final EmbeddedS3 server;
        private final S3Client client;
        private final String bucket;
        private final Map<String, String> multipartMd5 = new HashMap<>();
        private final Map<String, Long> own = new TreeMap<>();

        S3Target(Path storage, String bucket) {
            this.bucket = bucket;
            server = EmbeddedS3.builder(storage).blobStore(d -> new RequestLogBlobStore(d, log)).build();
            client = S3ClientFactory.create(new S3ClientSettings(server.endpoint(), server.region(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())), 4));
        }

        @Override
        public JarProcess autosync(Path dir) {
            return new JarProcess().in(dir).env("AWS_ACCESS_KEY_ID", server.accessKey())
                    .env("AWS_SECRET_ACCESS_KEY", server.secretKey()).env("AWS_REGION", server.region());
        }

        @Override
        public List<String> targetArgs() {
            return List.of("--endpoint=" + server.endpoint(), "--target_container=" + bucket,
                    "--multipart_threshold=5MiB", "--part_size=5MiB");
        }

        @Override
        public Map<String, TreeSnapshot.Entry> listing() throws IOException {
            Map<String, TreeSnapshot.Entry> entries = new TreeMap<>();
            try {
                for (ListObjectsV2Response page : client.listObjectsV2Paginator(r -> r.bucket(bucket))) {
                    own.merge("LIST", 1L, Long::sum);
                    for (S3Object o : page.contents()) {
                        String etag = o.eTag().replace("\"", "");
                        String md5 = etag.contains("-") ? multipartMd5(o.key(), etag) : etag;
                        if (md5 != null) {
                            entries.put(o.key(), new TreeSnapshot.Entry(o.size(), md5));
                        }
                    }
                }
            } catch (NoSuchBucketException e) {
                // not created yet
            }
            return entries;
        }

        /** The MD5 of a multipart object's content (its ETag is not one), read once per ETag; null if it is gone. */
        private String multipartMd5(String key, String etag) throws IOException {
            String cached = multipartMd5.get(key + " " + etag);
            if (cached != null) {
                return cached;
            }
            own.merge("GET", 1L, Long::sum);
            try (InputStream in = client.getObject(r -> r.bucket(bucket).key(key).ifMatch(etag))) {
                String md5 = TreeSnapshot.md5(in);
                multipartMd5.put(key + " " + etag, md5);
                return md5;
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                return e.statusCode() == 404 || e.statusCode() == 412 ? "changed-while-read" : rethrow(e);
            }
        }

        private static String rethrow(RuntimeException e) {
            throw e;
        }

        @Override
        public List<String> leftovers() {
            try {
                return client.listMultipartUploads(r -> r.bucket(bucket)).uploads().stream()
                        .map(u -> "incomplete upload " + u.key() + " (" + u.uploadId() + ", " + u.initiated() + ")")
                        .toList();
            } catch (NoSuchBucketException e) {
                return List.of();
            }
        }

        private boolean stopped;

        @Override
        public void outageStart() {
            server.stop();
            stopped = true;
        }

        @Override
        public void outageEnd() {
            if (stopped) {
                server.restart();
                stopped = false;
            }
        }

        @Override
        public String outageName() {
            return "S3 server stopped (connections refused)";
        }

        @Override
        public RequestLog requests() {
            return log;
        }

        @Override
        public Map<String, Long> own() {
            return own;
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    // ---- Swift: the real one of SwiftCluster (tempauth), its proxy's access log as the request log

    private static final class SwiftTarget implements Target {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final SwiftCluster.Endpoints endpoints = SwiftCluster.endpoints();
        private final String container;
        private final Path proxyLog = Path.of("target", "swift-aio", "log", "proxy.log").toAbsolutePath();
        private final long logStart;
        private final Map<String, Long> own = new TreeMap<>();
        private long frozen;

        SwiftTarget(String container) throws IOException {
            this.container = container;
            this.logStart = SwiftProxyLog.mark(proxyLog);
        }

        @Override
        public JarProcess autosync(Path dir) {
            return new JarProcess().in(dir).env("SWIFT_KEY", endpoints.get("SWIFT_KEY"));
        }

        @Override
        public List<String> targetArgs() {
            return List.of("--actor=swift", "--swift_auth_url=" + endpoints.get("SWIFT_AUTH_URL"),
                    "--swift_user=" + endpoints.get("SWIFT_USER"), "--target_container=" + container);
        }

        @Override
        public Map<String, TreeSnapshot.Entry> listing() throws Exception {
            return list(container, "LIST");
        }

        private Map<String, TreeSnapshot.Entry> list(String name, String kind) throws Exception {
            Map<String, TreeSnapshot.Entry> entries = new TreeMap<>();
            String marker = "";
            while (true) {
                own.merge("AUTH", 1L, Long::sum);
                own.merge(kind, 1L, Long::sum);
                HttpResponse<byte[]> r = SwiftTestClient.request("GET", name, null, "format=json&limit=10000"
                        + (marker.isEmpty() ? "" : "&marker=" + java.net.URLEncoder.encode(marker, StandardCharsets.UTF_8)));
                if (r.statusCode() == 404) {
                    return entries;
                }
                if (r.statusCode() / 100 != 2) {
                    throw new IOException("listing " + name + ": HTTP " + r.statusCode());
                }
                JsonNode page = r.statusCode() == 204 ? JSON.createArrayNode() : JSON.readTree(r.body());
                if (page.isEmpty()) {
                    return entries;
                }
                for (JsonNode n : page) {
                    entries.put(n.get("name").asText(), new TreeSnapshot.Entry(n.get("bytes").asLong(), n.get("hash").asText()));
                    marker = n.get("name").asText();
                }
            }
        }

        @Override
        public List<String> leftovers() throws Exception {
            return list(container + "_segments", "SEGMENTS_GET").keySet().stream().map(k -> "segment " + k).toList();
        }

        /** The object server's PID, as swift-aio.sh recorded it. */
        private long objectServerPid() throws IOException {
            for (String line : Files.readAllLines(Path.of("target", "swift-aio", "run", "pids"))) {
                String[] f = line.split("\t");
                if (f.length >= 2 && f[1].equals("object")) {
                    return Long.parseLong(f[0]);
                }
            }
            throw new IOException("no object server in target/swift-aio/run/pids");
        }

        @Override
        public void outageStart() throws Exception {
            frozen = objectServerPid();
            signal("-STOP", frozen);
        }

        @Override
        public void outageEnd() throws Exception {
            if (frozen != 0) {
                signal("-CONT", frozen);
                frozen = 0;
            }
        }

        private static void signal(String signal, long pid) throws Exception {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IOException("kill " + signal + " " + pid + " failed");
            }
        }

        @Override
        public String outageName() {
            return "Swift object server frozen (SIGSTOP/SIGCONT; the proxy answers 503 after its node timeout)";
        }

        @Override
        public RequestLog requests() throws IOException {
            return SwiftProxyLog.read(proxyLog, logStart, storageAccount(), container);
        }

        private String storageAccount() {
            String url = endpoints.get("SWIFT_STORAGE_URL");
            return url.substring(url.lastIndexOf('/') + 1);
        }

        @Override
        public Map<String, Long> own() {
            return own;
        }

        @Override
        public void close() throws Exception {
            outageEnd();
        }
    }
}
