package org.autosync.job;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one job, shared by its routes; a pass reports the difference of two snapshots. */
public final class MirrorStats {

    private final LongAdder uploadedFiles = new LongAdder();
    private final LongAdder uploadedBytes = new LongAdder();
    private final LongAdder deleted = new LongAdder();
    private final LongAdder unchanged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder vanished = new LongAdder();
    private final Map<PassOutcome, LongAdder> passes = new EnumMap<>(PassOutcome.class);

    /** How a reconciliation pass ended. */
    public enum PassOutcome {
        /** Complete and within limits. */
        COMPLETE,
        /** Complete, but nothing could be deleted on good evidence. */
        DELETES_BLOCKED,
        /** Complete, but a safety rail held deletes back. */
        RAIL_TRIPPED,
        /** Ended by an error (source missing, target unreachable). */
        FAILED
    }

    public MirrorStats() {
        for (PassOutcome outcome : PassOutcome.values()) {
            passes.put(outcome, new LongAdder());
        }
    }

    public void passEnded(PassOutcome outcome) {
        passes.get(outcome).increment();
    }

    public long passes(PassOutcome outcome) {
        return passes.get(outcome).sum();
    }

    public void uploaded(long bytes) {
        uploadedFiles.increment();
        uploadedBytes.add(bytes);
    }

    public void deleted(int count) {
        deleted.add(count);
    }

    public void unchanged(long count) {
        unchanged.add(count);
    }

    public void failed(int count) {
        failed.add(count);
    }

    /** Files deleted between being found and being uploaded: skipped, not failed. */
    public void vanished(int count) {
        vanished.add(count);
    }

    public Snapshot snapshot() {
        return new Snapshot(uploadedFiles.sum(), uploadedBytes.sum(), deleted.sum(), unchanged.sum(), failed.sum(), vanished.sum());
    }

    public record Snapshot(long uploadedFiles, long uploadedBytes, long deleted, long unchanged, long failed,
                           long vanished) {

        public Snapshot since(Snapshot earlier) {
            return new Snapshot(uploadedFiles - earlier.uploadedFiles, uploadedBytes - earlier.uploadedBytes,
                    deleted - earlier.deleted, unchanged - earlier.unchanged, failed - earlier.failed,
                    vanished - earlier.vanished);
        }

        public Snapshot plus(Snapshot other) {
            return new Snapshot(uploadedFiles + other.uploadedFiles, uploadedBytes + other.uploadedBytes,
                    deleted + other.deleted, unchanged + other.unchanged, failed + other.failed,
                    vanished + other.vanished);
        }

        public static Snapshot zero() {
            return new Snapshot(0, 0, 0, 0, 0, 0);
        }

        @Override
        public String toString() {
            return "uploaded " + uploadedFiles + " files / " + uploadedBytes + " bytes, deleted " + deleted
                    + ", unchanged " + unchanged + ", failed " + failed
                    + (vanished > 0 ? ", vanished " + vanished : "");
        }
    }
}
