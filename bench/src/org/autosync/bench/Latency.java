package org.autosync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Continuous mode with Autosync's defaults (events, 500 ms settle time): the time from writing a file to the
 * server having stored its object, over a series of writes 50 ms apart; then requests while nothing changes.
 */
final class Latency {

    private static final long WRITE_GAP_MILLIS = 50;
    private static final String INTERVAL = "2s";

    private final Lab lab;
    private final Tools tools;
    private final Report report;
    private final Path work;

    Latency(Lab lab, Tools tools, Report report, Path work) {
        this.lab = lab;
        this.tools = tools;
        this.report = report;
        this.work = work;
    }

    void run(int writes, int idleSeconds) throws IOException, InterruptedException {
        Path tree = Files.createDirectories(work.resolve("trees/latency"));
        Files.writeString(tree.resolve("ready.txt"), "ready");
        String bucket = lab.bucket("latency");
        Map<String, Long> stored = new ConcurrentHashMap<>();
        lab.store().onStored((b, key) -> stored.putIfAbsent(key, System.nanoTime()));
        Process autosync = tools.autosyncContinuous(tree, bucket, work.resolve("state/latency"),
                List.of("--interval=" + INTERVAL));
        try {
            if (!await(() -> stored.containsKey("ready.txt"), 120)) {
                report.failed("latency", List.of("the first pass did not upload ready.txt within 120 s"));
                return;
            }
            double[] millis = new double[writes];
            long[] written = new long[writes];
            for (int i = 0; i < writes; i++) {
                Files.writeString(tree.resolve("w" + i + ".txt"), "write " + i);
                written[i] = System.nanoTime();
                Thread.sleep(WRITE_GAP_MILLIS);
            }
            boolean all = await(() -> IntStream.range(0, writes).allMatch(i -> stored.containsKey("w" + i + ".txt")), 120);
            if (!all) {
                report.failed("latency", List.of("not every write reached the server within 120 s"));
                return;
            }
            for (int i = 0; i < writes; i++) {
                millis[i] = (stored.get("w" + i + ".txt") - written[i]) / 1e6;
            }
            double median = Report.median(millis);
            double p99 = Report.quantile(millis, 0.99);
            report.other(String.format("continuous mode: write to stored object, %d writes %d ms apart", writes, WRITE_GAP_MILLIS),
                    String.format("median %.0f ms, p99 %.0f ms, worst %.0f ms", median, p99, Report.quantile(millis, 1.0)),
                    "default --settle_time=500ms (the floor)", "median < 1 s, p99 < 3 s",
                    SyncSuite.verdict(median < 1000 && p99 < 3000, String.format("median %.0f ms, p99 %.0f ms", median, p99)));

            lab.resetCounts();
            Thread.sleep(idleSeconds * 1000L);
            Map<String, Long> idle = lab.counts();
            report.other(String.format("continuous mode, nothing changes: requests in %d s (%s re-scans, no reconciliation)",
                            idleSeconds, "--interval=" + INTERVAL),
                    Report.requests(idle), "", "0 requests between reconciliations",
                    SyncSuite.verdict(idle.isEmpty(), Report.requests(idle)));
            report.other("continuous mode: peak RSS of the autosync JVM during the above",
                    Report.mb(new ProcStats(autosync).peakRssKb()), "", "", "");
            report.failed("latency bucket", new BucketCheck(lab.client()).differences(bucket, BucketCheck.manifest(tree)));
        } finally {
            lab.store().onStored((b, key) -> { });
            Tools.stop(autosync);
        }
        lab.drop(bucket);
    }

    static boolean await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
