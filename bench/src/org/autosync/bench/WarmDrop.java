package org.autosync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A running job's cost per file: Autosync in continuous mode with its defaults (file-system events, 500 ms settle
 * time) is warmed by a first drop of new files, then a second drop of the same size lands in a new directory. The
 * bench takes the time from the first write of that drop until the server has stored its last object, and the
 * CPU the Autosync JVM used meanwhile, per file. rclone has no continuous mode: the reference is the CPU per file
 * of its cold initial sync of the {@code 10k} tree when that part ran.
 */
final class WarmDrop {

    private final Lab lab;
    private final Tools tools;
    private final Report report;
    private final Path work;

    WarmDrop(Lab lab, Tools tools, Report report, Path work) {
        this.lab = lab;
        this.tools = tools;
        this.report = report;
        this.work = work;
    }

    void run(int files, int size, Double rcloneCpuMillisPerFile) throws IOException, InterruptedException {
        Path tree = Files.createDirectories(work.resolve("trees/warm"));
        Files.writeString(tree.resolve("ready.txt"), "ready");
        String bucket = lab.bucket("warm");
        Set<String> stored = ConcurrentHashMap.newKeySet();
        lab.store().onStored((b, key) -> {
            if (b.equals(bucket)) {
                stored.add(key);
            }
        });
        Process autosync = tools.autosyncContinuous(tree, bucket, work.resolve("state/warm"), List.of());
        try {
            if (!Latency.await(() -> stored.contains("ready.txt"), 120)) {
                report.failed("warm", List.of("the first pass did not upload ready.txt within 120 s"));
                return;
            }
            ProcStats proc = new ProcStats(autosync); // only now: while the launcher starts, its java child may be "java -version"
            if (drop(tree, "warm-up", files, size, stored) < 0) {
                report.failed("warm", List.of("the warm-up drop was not stored within 600 s"));
                return;
            }
            lab.resetCounts();
            double cpuBefore = proc.cpuSeconds();
            double seconds = drop(tree, "drop", files, size, stored);
            double cpuMillis = (proc.cpuSeconds() - cpuBefore) * 1000;
            String requests = Report.requests(lab.counts());
            if (seconds < 0) {
                report.failed("warm", List.of("the measured drop was not stored within 600 s"));
                return;
            }
            double perFile = cpuMillis / files;
            report.other(String.format("continuous mode, warmed: a drop of %,d new %d-byte files, until all are stored",
                            files, size),
                    String.format("%.2f s, %.2f s CPU: %.3f ms CPU per file; requests meanwhile: %s", seconds,
                            cpuMillis / 1000, perFile, requests),
                    rcloneCpuMillisPerFile == null ? "" : String.format("rclone's cold initial sync of t10k: %.3f ms "
                            + "CPU per file", rcloneCpuMillisPerFile),
                    "<= 0.3 ms CPU per file", SyncSuite.verdict(perFile <= 0.3, String.format("%.3f ms", perFile)));
            report.failed("warm bucket", new BucketCheck(lab.client()).differences(bucket, BucketCheck.manifest(tree)));
        } finally {
            lab.store().onStored((b, key) -> { });
            Tools.stop(autosync);
        }
        lab.drop(bucket);
    }

    /** Writes {@code files} new files under {@code dir}; the seconds until all are stored, or -1 after 600 s. */
    private static double drop(Path tree, String dir, int files, int size, Set<String> stored)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        Trees.uniform(tree.resolve(dir), files, Math.max(1, files / 100), size, dir.hashCode());
        String prefix = dir + "/";
        int before = (int) stored.stream().filter(k -> !k.startsWith(prefix)).count();
        boolean all = Latency.await(() -> stored.size() >= before + files, 600);
        return all ? (System.nanoTime() - start) / 1e9 : -1;
    }
}
