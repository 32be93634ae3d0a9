package org.autosync.observe;

import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One progress line of a running pass, in the manner of {@code rclone --progress} but as a plain log line:
 * {@code photos: 3,412/10,000 files, 13.3 MiB/39.1 MiB, 1.2 MiB/s, ETA 21s}. Without a known total (the work
 * left is still being counted) only what is done and the rate are shown.
 *
 * @param job        the job's id
 * @param doneFiles  files uploaded in this pass so far
 * @param doneBytes  their bytes
 * @param totalFiles files of this pass in all, if known
 * @param totalBytes their bytes, if known
 * @param elapsed    since the pass started
 */
public record ProgressLine(String job, long doneFiles, long doneBytes, OptionalLong totalFiles, OptionalLong totalBytes,
                           Duration elapsed) {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(job).append(": ").append(count(doneFiles));
        totalFiles.ifPresent(t -> line.append('/').append(count(t)));
        line.append(" files, ").append(bytes(doneBytes));
        totalBytes.ifPresent(t -> line.append('/').append(bytes(t)));
        line.append(", ").append(bytes(rate())).append("/s");
        eta().ifPresent(eta -> line.append(", ETA ").append(duration(eta)));
        return line.toString();
    }

    /** Bytes per second since the pass started. */
    public long rate() {
        long millis = elapsed.toMillis();
        return millis <= 0 ? 0 : Math.round(doneBytes * 1000.0 / millis);
    }

    /** The time left at the rate so far; empty without a total or before anything was uploaded. */
    public java.util.Optional<Duration> eta() {
        long rate = rate();
        if (totalBytes.isEmpty() || rate <= 0) {
            return java.util.Optional.empty();
        }
        long left = Math.max(0, totalBytes.getAsLong() - doneBytes);
        return java.util.Optional.of(Duration.ofSeconds((left + rate - 1) / rate));
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double value = n;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
    }
}
