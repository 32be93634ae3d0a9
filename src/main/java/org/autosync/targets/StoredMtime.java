package org.autosync.targets;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The {@code mtime} user metadata as rclone (and python-swiftclient) write it: seconds since the
 * epoch as a fixed-point decimal string, trailing zeros of the fraction dropped, no point for whole
 * seconds ({@code 1700000000.123}, {@code 1700000000}). rclone reads it back exactly
 * ({@code FloatStringToTime}), so objects uploaded by either tool compare equal in the other.
 */
public final class StoredMtime {

    /** The user-metadata key; on the wire {@code x-amz-meta-mtime} (S3) and {@code X-Object-Meta-Mtime} (Swift). */
    public static final String KEY = "mtime";

    private StoredMtime() {
    }

    public static String format(long millis) {
        if (millis < 0) {
            return "-" + format(-millis);
        }
        long seconds = millis / 1000;
        int fraction = (int) (millis % 1000);
        if (fraction == 0) {
            return Long.toString(seconds);
        }
        String digits = Integer.toString(1000 + fraction).substring(1); // zero-padded to 3 digits
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return seconds + "." + digits.substring(0, end);
    }

    /**
     * Parses a stored mtime to milliseconds (sub-millisecond digits truncated toward negative
     * infinity, like {@code Math.floorDiv}); empty when absent or not a number.
     */
    public static Optional<Long> parseMillis(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            BigDecimal seconds = new BigDecimal(value.trim());
            BigDecimal millis = seconds.movePointRight(3);
            return Optional.of(millis.setScale(0, java.math.RoundingMode.FLOOR).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
