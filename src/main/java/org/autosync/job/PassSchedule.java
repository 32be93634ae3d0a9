package org.autosync.job;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a continuous job's next reconciliation pass is due: the first at once, then one {@code interval} after the
 * last one ended; sooner after a failed pass (10 s, doubling, at most 5 min or the interval), and within
 * {@value #SOON_MILLIS} ms when the job's deletes could not go otherwise (the event limit refused them, or the
 * target failed them): a pass decides those on complete evidence, instead of leaving them for a whole interval.
 * Thread-safe.
 */
final class PassSchedule {

    static final long RETRY_MILLIS = 10_000;
    static final long MAX_RETRY_MILLIS = 300_000;
    static final long SOON_MILLIS = 30_000;

    private final long intervalMillis;
    private final LongSupplier clock;
    private long next;
    private int failuresInARow;
    /** {@link #wanted} was called since the running pass started: that pass may have read the tree before. */
    private boolean wantedSinceStart;

    PassSchedule(Duration interval, LongSupplier clockMillis) {
        this.intervalMillis = interval.toMillis();
        this.clock = clockMillis;
        this.next = clockMillis.getAsLong();
    }

    synchronized boolean due() {
        return clock.getAsLong() >= next;
    }

    synchronized void started() {
        wantedSinceStart = false;
    }

    synchronized void succeeded() {
        failuresInARow = 0;
        ended(clock.getAsLong() + intervalMillis);
    }

    synchronized void failed() {
        long backoff = RETRY_MILLIS << Math.min(failuresInARow, 10);
        failuresInARow++;
        ended(clock.getAsLong() + Math.min(backoff, Math.min(MAX_RETRY_MILLIS, intervalMillis)));
    }

    private void ended(long nextPass) {
        next = wantedSinceStart ? Math.min(nextPass, soon()) : nextPass;
        wantedSinceStart = false;
    }

    /** Something only a pass can settle is waiting: the next pass comes within {@value #SOON_MILLIS} ms. */
    synchronized void wanted() {
        wantedSinceStart = true;
        next = Math.min(next, soon());
    }

    /** A node that just became the leader of a clustered job: its first act is a full pass, due now. */
    synchronized void now() {
        failuresInARow = 0;
        next = clock.getAsLong();
    }

    private long soon() {
        return clock.getAsLong() + Math.min(SOON_MILLIS, intervalMillis);
    }

    /** Milliseconds until the next pass is due (0 when due). */
    synchronized long untilDue() {
        return Math.max(0, next - clock.getAsLong());
    }
}
