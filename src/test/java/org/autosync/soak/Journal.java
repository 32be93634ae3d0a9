package org.autosync.soak;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * For each path of a source tree (relative, '/'-separated), the intervals during which a file existed there, on the
 * wall clock in microseconds since the epoch (the clock a server in another process logs with).
 *
 * <p>The writer records conservatively: a file is {@linkplain #opened opened} only after the operation that made it
 * returned, and {@linkplain #closed closed} before the operation that removes it starts. So each recorded interval
 * lies inside the time the file really existed, and "existed throughout" judged on the journal never accuses a
 * delete that only raced the writer.
 */
public final class Journal {

    /** Still open: the file exists now. */
    public static final long OPEN = Long.MAX_VALUE;

    private final Map<String, List<long[]>> intervals = new HashMap<>();

    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** {@code path} exists from {@code micros} on. */
    public synchronized void opened(String path, long micros) {
        List<long[]> list = intervals.computeIfAbsent(path, p -> new ArrayList<>());
        if (!list.isEmpty() && list.get(list.size() - 1)[1] == OPEN) {
            throw new IllegalStateException("journal: " + path + " opened twice");
        }
        list.add(new long[] {micros, OPEN});
    }

    /** {@code path} no longer exists from {@code micros} on. */
    public synchronized void closed(String path, long micros) {
        List<long[]> list = intervals.get(path);
        if (list == null || list.get(list.size() - 1)[1] != OPEN) {
            throw new IllegalStateException("journal: " + path + " closed while not open");
        }
        list.get(list.size() - 1)[1] = micros;
    }

    /**
     * The interval during which {@code path} existed without a break from at least {@code tolerance} before
     * {@code from} until at least {@code tolerance} after {@code to}, if there is one: a delete received in
     * [from, to] then removed a file that was there.
     */
    public synchronized Optional<long[]> existedThroughout(String path, long from, long to, long toleranceMicros) {
        for (long[] i : intervals.getOrDefault(path, List.of())) {
            boolean before = i[0] <= from - toleranceMicros;
            boolean after = i[1] == OPEN || i[1] >= to + toleranceMicros;
            if (before && after) {
                return Optional.of(i.clone());
            }
        }
        return Optional.empty();
    }

    /** The recorded intervals of {@code path}, for failure messages. */
    public synchronized String describe(String path, long originMicros) {
        StringBuilder s = new StringBuilder();
        for (long[] i : intervals.getOrDefault(path, List.of())) {
            s.append('[').append(SoakClock.rel(i[0], originMicros)).append(", ")
                    .append(i[1] == OPEN ? "now" : SoakClock.rel(i[1], originMicros)).append(") ");
        }
        return s.length() == 0 ? "never existed" : s.toString().trim();
    }
}
