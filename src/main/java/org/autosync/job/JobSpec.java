package org.autosync.job;

import java.nio.file.Path;
import java.time.Duration;

import org.autosync.keys.KeyMapper;
import org.autosync.local.SettleRule;
import org.autosync.local.SourceFilter;
import org.autosync.safety.DeletePolicy;
import org.autosync.watch.WatchMode;

/**
 * What one sync job is: a source directory, how its files map to keys, and how it runs.
 *
 * @param continuous        keep running (file route and reconciliation timer) instead of one pass
 * @param interval          continuous mode: local re-scan period
 * @param reconcileInterval continuous mode: full reconciliation period
 * @param deletes           when and how the job may delete (--no-delete, --max_delete, --backup_prefix)
 * @param settleTime        a file is uploaded only once its mtime is at least this far in the past; zero disables
 * @param watch             continuous mode: also react to file-system events, or only re-scan
 */
public record JobSpec(String id, Path source, KeyMapper mapper, SourceFilter filter, boolean followSymlinks,
                      boolean dryRun, int threads, boolean continuous, Duration interval, Duration reconcileInterval,
                      DeletePolicy deletes, Duration settleTime, WatchMode watch) {

    /** How long a one-shot pass waits at most, in multiples of the settle time, for files still being written. */
    public static final int ONCE_SETTLE_WAIT_FACTOR = 5;

    public JobSpec {
        if (deletes == null) {
            deletes = DeletePolicy.defaults();
        }
        if (settleTime == null || settleTime.isNegative()) {
            throw new IllegalArgumentException("settle time must be zero or positive: " + settleTime);
        }
        if (watch == null) {
            watch = WatchMode.POLL;
        }
    }

    /**
     * A job without file-system events ({@link WatchMode#POLL}), as jobs were before events existed; the
     * command line defaults to {@link WatchMode#EVENTS}.
     */
    public JobSpec(String id, Path source, KeyMapper mapper, SourceFilter filter, boolean followSymlinks,
                   boolean dryRun, int threads, boolean continuous, Duration interval, Duration reconcileInterval,
                   DeletePolicy deletes, Duration settleTime) {
        this(id, source, mapper, filter, followSymlinks, dryRun, threads, continuous, interval, reconcileInterval,
                deletes, settleTime, WatchMode.POLL);
    }

    /** A job with the default delete policy (50% limit, no backup) and no settle time. */
    public JobSpec(String id, Path source, KeyMapper mapper, SourceFilter filter, boolean followSymlinks,
                   boolean dryRun, int threads, boolean continuous, Duration interval, Duration reconcileInterval) {
        this(id, source, mapper, filter, followSymlinks, dryRun, threads, continuous, interval, reconcileInterval,
                DeletePolicy.defaults(), Duration.ZERO, WatchMode.POLL);
    }

    /** Whether this job watches file-system events (continuous mode with {@link WatchMode#EVENTS}). */
    public boolean watchesEvents() {
        return continuous && watch == WatchMode.EVENTS;
    }

    public SettleRule settleRule() {
        return SettleRule.of(settleTime);
    }

    /**
     * How long a reconciliation pass waits for files that were still being written when the walk saw
     * them: in continuous mode not at all (the file route picks them up once settled), in one-shot mode
     * up to {@value #ONCE_SETTLE_WAIT_FACTOR} settle times, so one pass still ends equal.
     */
    public Duration unsettledWait() {
        return continuous ? Duration.ZERO : settleTime.multipliedBy(ONCE_SETTLE_WAIT_FACTOR);
    }

    /** Registry name of the job's bean; its helpers are registered under this name plus a suffix. */
    public String beanName() {
        return "autosync-" + id;
    }

    public String scopePrefix() {
        return mapper.scopePrefixFor(source);
    }
}
