package org.autosync.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.autosync.job.JobSpec;
import org.autosync.job.MirrorJob;
import org.autosync.job.MirrorStats;
import org.autosync.local.LocalFile;
import org.autosync.local.LocalTreeWalker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one {@link ProgressLine} per tick while the job's reconciliation pass has work, so a long initial sync shows
 * files and bytes done, rate and ETA. The total is counted (a walk of the source against the sync state, no request to
 * the target) only once a pass outlives its first tick: short passes pay nothing.
 */
final class ProgressReporter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private final MirrorJob job;
    private final Executor counting;
    private MirrorJob.PassStart pass;
    private CompletableFuture<UnsyncedWork> total;

    ProgressReporter(MirrorJob job, Executor counting) {
        this.job = job;
        this.counting = counting;
    }

    @Override
    public synchronized void run() {
        MirrorJob.PassStart now = job.currentPass().orElse(null);
        if (now == null) {
            pass = null;
            total = null;
            return;
        }
        if (now != pass) {
            pass = now;
            total = null;
        }
        MirrorStats.Snapshot done = job.stats().snapshot().since(now.stats());
        if (done.uploadedFiles() == 0 && job.pendingUploads().count() == 0) {
            return; // nothing to upload so far: a pass over an unchanged tree says nothing
        }
        if (total == null) {
            total = CompletableFuture.supplyAsync(() -> {
                UnsyncedWork left = countUnsynced();
                return new UnsyncedWork(done.uploadedFiles() + left.files(), done.uploadedBytes() + left.bytes());
            }, counting);
        }
        UnsyncedWork known = total.isDone() && !total.isCompletedExceptionally() ? total.join() : null;
        LOG.info("{}", line(done, known, Duration.between(now.at(), Instant.now())));
    }

    /**
     * What the source holds that the job's upload rule finds new or changed: the work left of a pass. Walks the
     * source once; no request to the target.
     */
    private UnsyncedWork countUnsynced() {
        JobSpec spec = job.spec();
        LocalTreeWalker walker = new LocalTreeWalker(spec.source(), spec.filter(), spec.mapper()::keyFor,
                spec.followSymlinks());
        long files = 0;
        long bytes = 0;
        while (walker.hasNext()) {
            LocalFile f = walker.next();
            if (job.changes().localChange(f.key(), f.size(), f.mtimeMillis()).isPresent()) {
                files++;
                bytes += f.size();
            }
        }
        return new UnsyncedWork(files, bytes);
    }

    /** Files and their bytes not synced yet. */
    private record UnsyncedWork(long files, long bytes) {
    }

    private ProgressLine line(MirrorStats.Snapshot done, UnsyncedWork known, Duration elapsed) {
        // uploads of files changed after the count can pass the total: the total then grows with them
        OptionalLong files = known == null ? OptionalLong.empty() : OptionalLong.of(Math.max(known.files(), done.uploadedFiles()));
        OptionalLong bytes = known == null ? OptionalLong.empty() : OptionalLong.of(Math.max(known.bytes(), done.uploadedBytes()));
        return new ProgressLine(job.id(), done.uploadedFiles(), done.uploadedBytes(), files, bytes, elapsed);
    }
}
