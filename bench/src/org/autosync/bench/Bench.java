package org.autosync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The benchmark: Autosync against rclone on the same trees and the same S3 server, see docs/benchmark.md.
 * Run it through {@code bench/run}, which installs the tools, builds and compiles, then calls this.
 * Exit code 1 only when a bucket did not equal its tree (never for a missed time target), 2 for bad options.
 */
public final class Bench {

    private static final Set<String> PARTS = Set.of("10k", "100k", "mixed", "1g", "latency", "warm", "1m", "state");

    private boolean smoke;
    private int reps = 3;
    private boolean inMemory;
    private Set<String> only = new TreeSet<>(PARTS);
    private boolean onlyGiven;
    private Path work;
    private Path jar;
    private Path classes;
    private Path pgScript;
    private List<String> autosync;

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT); // the tables' numbers read the same everywhere
        Bench bench = new Bench();
        try {
            bench.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
        }
        System.exit(bench.run() ? 0 : 1);
    }

    private void parse(String[] args) {
        for (String arg : args) {
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            switch (arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg) {
                case "--smoke" -> smoke = true;
                case "--reps" -> reps = Integer.parseInt(value);
                case "--store" -> inMemory = switch (value) {
                    case "filesystem" -> false;
                    case "transient" -> true;
                    default -> throw new IllegalArgumentException("--store is filesystem or transient, not " + value);
                };
                case "--only" -> {
                    only = new TreeSet<>(Arrays.asList(value.split(",")));
                    onlyGiven = true;
                }
                case "--work" -> work = Path.of(value).toAbsolutePath();
                case "--jar" -> jar = Path.of(value).toAbsolutePath();
                case "--classes" -> classes = Path.of(value).toAbsolutePath();
                case "--pg" -> pgScript = Path.of(value).toAbsolutePath();
                case "--autosync" -> autosync = List.of(value.trim().split("\\s+"));
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (!PARTS.containsAll(only)) {
            throw new IllegalArgumentException("--only takes " + PARTS + ", not " + only);
        }
        if (work == null || jar == null || classes == null || autosync == null || pgScript == null) {
            throw new IllegalArgumentException("--work, --jar, --classes, --autosync and --pg are required (bench/run sets them)");
        }
        if (smoke) {
            reps = 1;
        }
        if (smoke && !onlyGiven) {
            only.remove("100k"); // the same steps as 10k with another size: one tree fewer to keep the smoke short
            only.remove("state"); // no PostgreSQL cluster to start in the smoke
        }
    }

    private boolean run() throws IOException, InterruptedException {
        String loadBefore = loadAverage();
        Report report = new Report();
        try (Lab lab = new Lab(work.resolve("s3"), inMemory)) {
            Tools tools = new Tools(lab, autosync, jar, classes, work.resolve("logs"));
            SyncSuite suite = new SyncSuite(lab, tools, report, work, reps);
            Double rcloneMillisPerFile = null;
            if (only.contains("10k")) {
                int files = smoke ? 200 : 10_000;
                Report.Stats rclone = suite.run("t10k", Trees.uniform(tree("10k"), files, smoke ? 4 : 100, 4096, 10));
                rcloneMillisPerFile = rclone.cpuSeconds() * 1000 / files;
            }
            if (only.contains("100k")) {
                suite.run("t100k", smoke ? Trees.uniform(tree("100k"), 500, 10, 100, 100)
                        : Trees.uniform(tree("100k"), 100_000, 1_000, 100, 100));
            }
            if (only.contains("mixed")) {
                suite.run("mixed", Trees.mixed(tree("mixed"), 7));
            }
            if (only.contains("1g")) {
                new LargeFile(lab, tools, report, work, reps).run(smoke ? "72mib" : "1gib",
                        smoke ? 72L << 20 : 1L << 30);
            }
            if (only.contains("latency")) {
                new Latency(lab, tools, report, work).run(smoke ? 20 : 100, smoke ? 5 : 30);
            }
            if (only.contains("warm")) {
                new WarmDrop(lab, tools, report, work).run(smoke ? 200 : 10_000, 4096, rcloneMillisPerFile);
            }
            if (only.contains("1m")) {
                new MillionFiles(tools, report, work).run(smoke ? 2_000 : 1_000_000, smoke ? 20 : 1_000);
            }
            if (only.contains("state")) {
                new StateCost(report, work, pgScript, reps).run(smoke ? new int[] {200, 1_000} : new int[] {10_000, 100_000});
            }
        }
        String markdown = report.markdown(header(loadBefore));
        Files.writeString(work.resolve("results.md"), markdown);
        System.out.println(markdown);
        System.out.println(report.verified() ? "VERIFICATION PASSED" : "VERIFICATION FAILED");
        return report.verified();
    }

    private Path tree(String name) throws IOException {
        return Files.createDirectories(work.resolve("trees/" + name));
    }

    private static String loadAverage() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        return Files.exists(loadavg) ? String.join(" ", Arrays.asList(Files.readString(loadavg).split(" ")).subList(0, 3)) : "n/a";
    }

    private String header(String loadBefore) throws IOException {
        return String.format("# Autosync benchmark%n%n%s; %s; %d rep(s), medians; S3Proxy %s store on 127.0.0.1 (auth on); "
                        + "autosync: `%s`; rclone: `--transfers 32 --checkers 32 --fast-list --checksum --s3-no-head`; "
                        + "%d cores, load average (1, 5, 15 min) %s at the start, %s at the end.",
                Instant.now(), smoke ? "SMOKE (tiny trees, not a measurement)" : "full sizes", reps,
                inMemory ? "transient (in-memory)" : "filesystem", String.join(" ", autosync),
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
    }
}
