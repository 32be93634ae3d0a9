package org.autosync.soak;

import java.util.Locale;

/** Formats wall-clock microseconds relative to the start of a soak, as {@code +12.345s}. */
public final class SoakClock {

    private SoakClock() {
    }

    public static String rel(long micros, long originMicros) {
        return String.format(Locale.ROOT, "%+.3fs", (micros - originMicros) / 1e6);
    }
}
