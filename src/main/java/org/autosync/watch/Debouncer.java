package org.autosync.watch;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Per-key debounce: {@link #arm} asks for one check of a key at a due time; a further arm before then
 * moves the due time later (never earlier), so a file written in many small steps (many MODIFY events,
 * inotify has no close-write) is checked once, after its last write has settled. At most one timer task
 * is pending per key; a task that finds its due time moved re-schedules itself for the rest.
 * <p>
 * The check itself decides whether the file is ready (it may {@link #arm} again). Thread-safe.
 */
public final class Debouncer<K> {

    /** Runs a task after a delay, e.g. a {@link java.util.concurrent.ScheduledExecutorService}. */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(Runnable task, long delayMillis);
    }

    private final LongSupplier clock;
    private final Scheduler scheduler;
    private final Consumer<K> check;
    private final Map<K, Long> due = new HashMap<>();

    public Debouncer(LongSupplier clockMillis, Scheduler scheduler, Consumer<K> check) {
        this.clock = clockMillis;
        this.scheduler = scheduler;
        this.check = check;
    }

    /** Checks {@code key} at {@code dueMillis}, or later if a check is already due later. */
    public void arm(K key, long dueMillis) {
        boolean schedule;
        synchronized (this) {
            Long pending = due.get(key);
            schedule = pending == null;
            due.put(key, pending == null ? dueMillis : Math.max(pending, dueMillis));
        }
        if (schedule) {
            scheduler.schedule(() -> fire(key), Math.max(0, dueMillis - clock.getAsLong()));
        }
    }

    /** Forgets a pending check (the file was deleted). */
    public synchronized void cancel(K key) {
        due.remove(key);
    }

    public synchronized int pending() {
        return due.size();
    }

    private void fire(K key) {
        long later;
        synchronized (this) {
            Long when = due.get(key);
            if (when == null) {
                return; // cancelled
            }
            later = when - clock.getAsLong();
            if (later <= 0) {
                due.remove(key);
            }
        }
        if (later > 0) {
            scheduler.schedule(() -> fire(key), later);
        } else {
            check.accept(key);
        }
    }
}
