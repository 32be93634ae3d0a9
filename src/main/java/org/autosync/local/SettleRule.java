package org.autosync.local;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a file counts as completely written: its mtime is at least the settle time in the past when it
 * is examined. The check costs nothing beyond the stat the walk or the file consumer already made: no
 * sleeping per file (camel-file's {@code readLock=changed} sleeps a second per file on the poll thread)
 * and no marker files in the user's tree. A file not yet settled is skipped and looked at again later.
 * <p>
 * An mtime further in the future than the settle time was set explicitly (an archive, {@code touch -d},
 * a copy keeping times), not by a writer on this clock, so waiting would not help: it counts as settled.
 */
public final class SettleRule {

    private static final SettleRule DISABLED = new SettleRule(Duration.ZERO, System::currentTimeMillis);

    private final long settleMillis;
    private final LongSupplier clock;

    public SettleRule(Duration settleTime, LongSupplier clockMillis) {
        if (settleTime.isNegative()) {
            throw new IllegalArgumentException("settle time must not be negative: " + settleTime);
        }
        this.settleMillis = settleTime.toMillis();
        this.clock = clockMillis;
    }

    public static SettleRule of(Duration settleTime) {
        return settleTime.isZero() ? DISABLED : new SettleRule(settleTime, System::currentTimeMillis);
    }

    public static SettleRule disabled() {
        return DISABLED;
    }

    public boolean enabled() {
        return settleMillis > 0;
    }

    public long settleMillis() {
        return settleMillis;
    }

    public boolean isSettled(long mtimeMillis) {
        return remainingMillis(mtimeMillis) == 0;
    }

    /** How long until a file last modified at {@code mtimeMillis} settles, if it is not written again; 0 if it has. */
    public long remainingMillis(long mtimeMillis) {
        if (settleMillis == 0) {
            return 0;
        }
        long age = clock.getAsLong() - mtimeMillis;
        if (age >= settleMillis || -age > settleMillis) {
            return 0;
        }
        return settleMillis - age;
    }

    @Override
    public String toString() {
        return "SettleRule[" + settleMillis + " ms]";
    }
}
