package org.autosync.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.autosync.bench.Report.Stats;

/**
 * One tree, three steps, both tools alternating on the same server: initial sync into an empty bucket, a
 * no-op re-sync, and a re-sync after 1% of the files changed, 1% were added and 1% deleted. Each tool keeps
 * its own bucket; after every run that bucket is checked against the tree.
 */
final class SyncSuite {

    /** Files are rewritten this long before a timed run, so no tool waits for a just-written file to settle. */
    private static final long SETTLE_MILLIS = 600;

    private final Lab lab;
    private final Tools tools;
    private final Report report;
    private final BucketCheck check;
    private final Path work;
    private final int reps;

    SyncSuite(Lab lab, Tools tools, Report report, Path work, int reps) {
        this.lab = lab;
        this.tools = tools;
        this.report = report;
        this.check = new BucketCheck(lab.client());
        this.work = work;
        this.reps = reps;
    }

    /** @return rclone's initial sync of the tree */
    Stats run(String name, Path tree) throws IOException, InterruptedException {
        Map<String, BucketCheck.Expected> manifest = BucketCheck.manifest(tree);
        int files = manifest.size();
        List<Tools.Run> autosync = new ArrayList<>();
        List<Tools.Run> rclone = new ArrayList<>();
        String a = null;
        String r = null;
        Path state = null;
        for (int rep = 1; rep <= reps; rep++) {
            if (a != null) {
                lab.drop(a);
                lab.drop(r);
            }
            a = lab.bucket(name + "-autosync-" + rep);
            r = lab.bucket(name + "-rclone-" + rep);
            state = work.resolve("state/" + name + "-" + rep);
            runBoth(rep, tree, a, r, state, manifest, autosync, rclone, name + " initial");
        }
        Stats rcloneInitial = Stats.of(rclone);
        judgeTransfer(name, "initial", Stats.of(autosync), rcloneInitial, files, 0);

        autosync.clear();
        rclone.clear();
        for (int rep = 1; rep <= reps; rep++) {
            runBoth(rep, tree, a, r, state, manifest, autosync, rclone, name + " no-op");
        }
        Stats noopA = Stats.of(autosync);
        Stats noopR = Stats.of(rclone);
        boolean listsOnly = noopA.totalRequests() == noopA.requests("LIST");
        boolean withinRclone = noopA.seconds() <= noopR.seconds();
        report.sync(name, "no-op --once", noopA, noopR, "only LIST; wall <= rclone's",
                verdict(listsOnly && withinRclone && noopA.allExitedZero(),
                        (listsOnly ? "" : "non-LIST requests; ") + (withinRclone ? "" : String.format(
                                "%.2f s slower", noopA.seconds() - noopR.seconds()))));

        autosync.clear();
        rclone.clear();
        Trees.Change change = null;
        for (int rep = 1; rep <= reps; rep++) {
            change = Trees.changeOnePercent(tree, 1000 + rep);
            Thread.sleep(SETTLE_MILLIS);
            runBoth(rep, tree, a, r, state, BucketCheck.manifest(tree), autosync, rclone, name + " 1% change");
        }
        judgeTransfer(name, "1% changed/added/deleted", Stats.of(autosync), Stats.of(rclone), change.uploads(),
                change.deleted());
        lab.drop(a);
        lab.drop(r);
        return rcloneInitial;
    }

    /** Both tools once, in alternating order so that neither always runs on a warmer server. */
    private void runBoth(int rep, Path tree, String a, String r, Path state, Map<String, BucketCheck.Expected> manifest,
                         List<Tools.Run> autosync, List<Tools.Run> rclone, String what)
            throws IOException, InterruptedException {
        if (rep % 2 == 1) {
            autosync.add(verified(tools.autosyncOnce(tree, a, state), a, manifest, what + " autosync"));
            rclone.add(verified(tools.rclone(tree, r), r, manifest, what + " rclone"));
        } else {
            rclone.add(verified(tools.rclone(tree, r), r, manifest, what + " rclone"));
            autosync.add(verified(tools.autosyncOnce(tree, a, state), a, manifest, what + " autosync"));
        }
    }

    private Tools.Run verified(Tools.Run run, String bucket, Map<String, BucketCheck.Expected> manifest, String what) {
        if (run.exitCode() != 0) {
            report.failed(what, List.of("exit code " + run.exitCode() + " (see " + run.log() + ")"));
        }
        report.failed(what, check.differences(bucket, manifest));
        return run;
    }

    /**
     * Targets of a step that transfers: wall ratio <= 0.7 (aim 0.5), client CPU no more than rclone's; at most one
     * PUT per upload, deletes, list pages.
     */
    private void judgeTransfer(String tree, String step, Stats autosync, Stats rclone, int uploads, int deletes) {
        double ratio = autosync.seconds() / rclone.seconds();
        double cpuRatio = autosync.cpuSeconds() / rclone.cpuSeconds();
        long puts = autosync.requests("PUT");
        long other = autosync.totalRequests() - puts - autosync.requests("LIST") - autosync.requests("DELETE");
        List<String> missed = new ArrayList<>();
        if (ratio > 0.7) {
            missed.add(String.format("ratio %.2f", ratio));
        }
        if (cpuRatio > 1.0) {
            missed.add(String.format("CPU ratio %.2f", cpuRatio));
        }
        if (puts > uploads) {
            missed.add((puts - uploads) + " PUTs too many");
        }
        if (other > 0) {
            missed.add(other + " HEAD/GET/other requests");
        }
        if (autosync.requests("DELETE") > deletes) {
            missed.add("more DELETE requests than deleted files");
        }
        report.sync(tree, step, autosync, rclone, "ratio <= 0.7 (aim 0.5); CPU <= rclone's; PUT <= " + uploads
                        + " + list pages", verdict(missed.isEmpty() && autosync.allExitedZero(), String.join(", ", missed))
                        + (missed.isEmpty() && ratio > 0.5 ? " (aim 0.5 not reached)" : ""));
    }

    static String verdict(boolean met, String missedBy) {
        return met ? "met" : "missed: " + (missedBy.isBlank() ? "a run failed" : missedBy);
    }
}
