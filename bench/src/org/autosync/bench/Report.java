package org.autosync.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The results as markdown tables, and every verification failure met on the way. */
final class Report {

    /** Several runs of one tool at one step: medians (CPU: also its lowest and highest), and the highest peak RSS. */
    record Stats(double seconds, double cpuSeconds, double cpuMin, double cpuMax, long peakRssKb,
                 Map<String, Long> requests, boolean allExitedZero) {
        static Stats of(List<Tools.Run> runs) {
            Map<String, List<Long>> byKind = new TreeMap<>();
            runs.forEach(r -> r.requests().forEach((kind, n) -> byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(n)));
            Map<String, Long> requests = new TreeMap<>();
            byKind.forEach((kind, counts) -> {
                while (counts.size() < runs.size()) {
                    counts.add(0L);
                }
                requests.put(kind, (long) median(counts.stream().mapToDouble(Long::doubleValue).toArray()));
            });
            double[] cpu = runs.stream().mapToDouble(Tools.Run::cpuSeconds).toArray();
            return new Stats(median(runs.stream().mapToDouble(Tools.Run::seconds).toArray()), median(cpu),
                    Arrays.stream(cpu).min().orElse(Double.NaN), Arrays.stream(cpu).max().orElse(Double.NaN),
                    runs.stream().mapToLong(Tools.Run::peakRssKb).max().orElse(-1), requests,
                    runs.stream().allMatch(r -> r.exitCode() == 0));
        }

        long requests(String kind) {
            return requests.getOrDefault(kind, 0L);
        }

        long totalRequests() {
            return requests.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final List<String> syncRows = new ArrayList<>();
    private final List<String> otherRows = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    void sync(String tree, String step, Stats autosync, Stats rclone, String target, String verdict) {
        syncRows.add(row(tree, step, seconds(autosync.seconds()), seconds(rclone.seconds()),
                String.format("%.2f", autosync.seconds() / rclone.seconds()), cpu(autosync), cpu(rclone),
                String.format("%.2f", autosync.cpuSeconds() / rclone.cpuSeconds()), mb(autosync.peakRssKb()),
                mb(rclone.peakRssKb()), requests(autosync.requests()), requests(rclone.requests()), target, verdict));
    }

    void other(String measurement, String autosync, String reference, String target, String verdict) {
        otherRows.add(row(measurement, autosync, reference, target, verdict));
    }

    void failed(String what, List<String> problems) {
        if (!problems.isEmpty()) {
            failures.add(what + ": " + String.join("; ", problems));
        }
    }

    boolean verified() {
        return failures.isEmpty();
    }

    String markdown(String header) {
        StringBuilder md = new StringBuilder(header).append("\n");
        if (!syncRows.isEmpty()) {
            md.append("\n").append(row("tree", "step", "autosync s", "rclone s", "ratio", "autosync CPU s",
                    "rclone CPU s", "CPU ratio", "autosync peak RSS", "rclone peak RSS", "autosync requests",
                    "rclone requests", "target", "target met?"));
            md.append(row("---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---", "---",
                    "---", "---"));
            syncRows.forEach(md::append);
        }
        if (!otherRows.isEmpty()) {
            md.append("\n").append(row("measurement", "autosync", "reference", "target", "target met?"));
            md.append(row("---", "---", "---", "---", "---"));
            otherRows.forEach(md::append);
        }
        md.append("\n").append(failures.isEmpty() ? "Every step's bucket equalled its tree (keys, sizes, MD5)."
                : "Verification failures:\n\n" + failures.stream().map(f -> "- " + f).collect(Collectors.joining("\n")))
                .append("\n");
        return md.toString();
    }

    static String seconds(double s) {
        return String.format("%.2f", s);
    }

    /** Median CPU seconds, with the range over the runs when there were several. */
    static String cpu(Stats stats) {
        return stats.cpuMin() == stats.cpuMax() ? seconds(stats.cpuSeconds())
                : String.format("%.2f (%.2f–%.2f)", stats.cpuSeconds(), stats.cpuMin(), stats.cpuMax());
    }

    static String mb(long kb) {
        return kb < 0 ? "n/a" : String.format("%d MB", Math.round(kb / 1024.0));
    }

    static String requests(Map<String, Long> counts) {
        return counts.isEmpty() ? "none" : counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The value at quantile {@code q} (nearest rank). */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static String row(String... cells) {
        return "| " + Arrays.stream(cells).map(c -> c.replace("|", "\\|")).collect(Collectors.joining(" | ")) + " |\n";
    }
}
