package org.autosync.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.autosync.bench.Report.Stats;

/**
 * One large file: the server's own speed for it (one plain PUT with curl) against Autosync's and rclone's
 * initial sync of a tree that holds only that file.
 */
final class LargeFile {

    private final Lab lab;
    private final Tools tools;
    private final Report report;
    private final Path work;
    private final int reps;

    LargeFile(Lab lab, Tools tools, Report report, Path work, int reps) {
        this.lab = lab;
        this.tools = tools;
        this.report = report;
        this.work = work;
        this.reps = reps;
    }

    void run(String name, long bytes) throws IOException, InterruptedException {
        Path tree = work.resolve("trees/" + name);
        Path file = Trees.large(tree.resolve("large.bin"), bytes, 42);
        Map<String, BucketCheck.Expected> manifest = BucketCheck.manifest(tree);
        BucketCheck check = new BucketCheck(lab.client());
        List<Tools.Run> server = new ArrayList<>();
        List<Tools.Run> autosync = new ArrayList<>();
        List<Tools.Run> rclone = new ArrayList<>();
        for (int rep = 1; rep <= reps; rep++) {
            String s = lab.bucket(name + "-server-" + rep);
            Tools.Run put = tools.curlPut(file, s, "large.bin");
            server.add(put);
            if (put.exitCode() != 0) {
                report.failed(name + " server alone", List.of("curl exit code " + put.exitCode() + " (see " + put.log() + ")"));
            }
            report.failed(name + " server alone", check.differences(s, manifest));
            lab.drop(s);
            for (boolean autosyncFirst : rep % 2 == 1 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                String bucket = lab.bucket(name + (autosyncFirst ? "-autosync-" : "-rclone-") + rep);
                Tools.Run run = autosyncFirst ? tools.autosyncOnce(tree, bucket, work.resolve("state/" + name + "-" + rep))
                        : tools.rclone(tree, bucket);
                (autosyncFirst ? autosync : rclone).add(run);
                if (run.exitCode() != 0) {
                    report.failed(name + " " + bucket, List.of("exit code " + run.exitCode() + " (see " + run.log() + ")"));
                }
                report.failed(name + " " + bucket, check.differences(bucket, manifest));
                lab.drop(bucket);
            }
        }
        Stats a = Stats.of(autosync);
        Stats r = Stats.of(rclone);
        Stats s = Stats.of(server);
        double mib = bytes / (1024.0 * 1024.0);
        double share = s.seconds() / a.seconds();
        report.sync(name, "initial", a, r, "ratio < 1.0", SyncSuite.verdict(a.seconds() < r.seconds() && a.allExitedZero(),
                String.format("ratio %.2f", a.seconds() / r.seconds())));
        report.other(name + ": throughput of one " + Math.round(mib) + " MiB file",
                String.format("%.0f MiB/s (%.2f s), peak RSS %s", mib / a.seconds(), a.seconds(), Report.mb(a.peakRssKb())),
                String.format("server alone (curl PUT): %.0f MiB/s (%.2f s); rclone %.0f MiB/s", mib / s.seconds(),
                        s.seconds(), mib / r.seconds()),
                ">= 90% of the server alone; heap flat",
                SyncSuite.verdict(share >= 0.9, String.format("%.0f%% of the server alone", 100 * share))
                        + String.format(" (%.0f%%)", 100 * share));
    }
}
