package org.autosync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Autosync tracking many files in continuous mode, with the {@link CountingActor} as target so that no
 * object is stored: its memory once the first pass is done, and the CPU one change event costs compared
 * with that first walk (a full re-walk per event would cost about as much as the walk).
 */
final class MillionFiles {

    private static final int EVENTS = 100;

    private final Tools tools;
    private final Report report;
    private final Path work;

    MillionFiles(Tools tools, Report report, Path work) {
        this.tools = tools;
        this.report = report;
        this.work = work;
    }

    void run(int files, int dirs) throws IOException, InterruptedException {
        Path tree = Trees.empty(work.resolve("trees/million"), files, dirs);
        Path actorReport = work.resolve("million-actor.txt");
        Files.deleteIfExists(actorReport);
        long start = System.nanoTime();
        Process autosync = tools.autosyncWithActor(tree, work.resolve("state/million"), List.of(
                "--actor=" + CountingActor.class.getName(), "--actor_option", "report=" + actorReport,
                "--actor_option", "expect=" + files, "--interval=10m", "--reconcile_interval=1h"));
        try {
            if (!Latency.await(() -> lines(actorReport, "initial") > 0, 3600)) {
                report.failed("million", List.of("the first pass did not finish within an hour"));
                return;
            }
            ProcStats proc = new ProcStats(autosync); // only now: while the launcher starts, its java child may be "java -version"
            double firstPassSeconds = (System.nanoTime() - start) / 1e9;
            double firstPassCpu = proc.cpuSeconds();
            long heapKb = proc.heapUsedAfterGcKb();
            long rssKb = proc.rssKb();

            double cpuBefore = proc.cpuSeconds();
            for (int i = 0; i < EVENTS; i++) {
                int file = i * (files / EVENTS);
                Trees.touch(tree.resolve(String.format("d%04d/f%07d", file % dirs, file)), i);
                Thread.sleep(20);
            }
            if (!Latency.await(() -> lines(actorReport, "upload ") >= EVENTS, 300)) {
                report.failed("million", List.of("not every change event was uploaded within 300 s"));
                return;
            }
            double perEventMillis = (proc.cpuSeconds() - cpuBefore) * 1000 / EVENTS;
            long rssAfterKb = proc.rssKb();
            long peakKb = proc.peakRssKb();

            report.other(String.format("%,d files tracked, continuous mode (counting actor)", files),
                    String.format("RSS %s after the first pass, %s after %d events (peak %s); heap after GC %s",
                            Report.mb(rssKb), Report.mb(rssAfterKb), EVENTS, Report.mb(peakKb), Report.mb(heapKb)),
                    String.format("first pass %.1f s wall, %.1f s CPU", firstPassSeconds, firstPassCpu),
                    "< 300 MB RSS", SyncSuite.verdict(Math.max(rssKb, rssAfterKb) < 300 * 1024,
                            Report.mb(Math.max(rssKb, rssAfterKb)))
                            + (peakKb >= 300 * 1024 ? " while tracking; the first pass peaked at " + Report.mb(peakKb) : ""));
            report.other(String.format("CPU per change event with %,d files tracked", files),
                    String.format("%.1f ms CPU per event (%d events)", perEventMillis, EVENTS),
                    String.format("the first pass's walk: %.1f s CPU", firstPassCpu),
                    "no full re-walk per event (< 10% of the walk's CPU)",
                    SyncSuite.verdict(perEventMillis < firstPassCpu * 100, String.format("%.1f ms", perEventMillis)));
        } finally {
            Tools.stop(autosync);
        }
    }

    private static long lines(Path file, String prefix) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).count() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
