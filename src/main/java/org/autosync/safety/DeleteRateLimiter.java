package org.autosync.safety;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The sliding-window counterpart of {@code --max_delete} for deletes that arrive one by one (from events,
 * not from a reconciliation pass): at most {@link MaxDelete#allowed(long)} deletes of the last known
 * in-scope object count within any {@code window}. A request that would go over the limit is refused
 * whole, and the limiter then stays tripped, refusing every further request, until {@link #reset()}
 * (a later reconciliation pass within limits). So renaming a source root away, which yields one
 * delete per file, empties at most the allowed share of the bucket and then stops.
 * <p>
 * Thread-safe.
 */
public final class DeleteRateLimiter {

    private final MaxDelete limit;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    /** [time, count] of each permitted request still within the window. */
    private final Deque<long[]> permitted = new ArrayDeque<>();
    private long inWindow;
    private long inScope = -1;
    private String trippedBecause;

    public DeleteRateLimiter(MaxDelete limit, Duration window) {
        this(limit, window, System::nanoTime);
    }

    /** With an explicit clock (nanoseconds, monotonic), for tests. */
    public DeleteRateLimiter(MaxDelete limit, Duration window, LongSupplier nanoClock) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the delete window must be positive: " + window);
        }
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The number of objects in scope as the last reconciliation pass saw it (before that: unknown). */
    public synchronized void inScope(long count) {
        inScope = count;
    }

    /**
     * Asks to delete {@code count} objects now.
     *
     * @return empty when permitted (and counted); otherwise why not, in one line
     */
    public synchronized Optional<String> tryAcquire(int count) {
        if (trippedBecause != null) {
            return Optional.of("the delete rail tripped earlier and holds until a reconciliation pass within limits ("
                    + trippedBecause + ")");
        }
        if (limit.unlimited()) {
            return Optional.empty();
        }
        long now = nanoClock.getAsLong();
        while (!permitted.isEmpty() && now - permitted.peekFirst()[0] >= windowNanos) {
            inWindow -= permitted.removeFirst()[1];
        }
        long allowed = limit.allowed(inScope);
        if (inWindow + count > allowed) {
            trippedBecause = (inWindow + count) + " deletes within " + Duration.ofNanos(windowNanos).toSeconds()
                    + " s is more than --max_delete=" + limit + " allows (" + allowed + " of "
                    + (inScope < 0 ? "an unknown number of" : Long.toString(inScope)) + " objects in scope)";
            return Optional.of(trippedBecause);
        }
        permitted.addLast(new long[] {now, count});
        inWindow += count;
        return Optional.empty();
    }

    /** Whether the limiter refused a request and has not been reset since. */
    public synchronized boolean tripped() {
        return trippedBecause != null;
    }

    /** Clears the trip (and the window): a reconciliation pass found the job within limits. */
    public synchronized void reset() {
        trippedBecause = null;
        permitted.clear();
        inWindow = 0;
    }
}
