package org.autosync.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.util.TimeUtils;

/** Parsers for the human-written values of options and job parameters: durations and sizes. */
public final class Values {

    /** Camel's units, each at most once, largest first: {@code 1d2h}, {@code 1h30m}, {@code 2m30s500ms}. */
    private static final Pattern DURATION = Pattern.compile("\\d+|(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?(\\d+ms)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?");

    private Values() {
    }

    /**
     * A duration the way Camel reads one ({@link TimeUtils#toDuration}): a bare number is milliseconds, or numbers
     * with the units {@code ms}, {@code s}, {@code m}, {@code h} and {@code d}, combined largest first
     * ({@code 500ms}, {@code 10s}, {@code 1h30m}, {@code 1d}); also ISO-8601 ({@code PT10S}), which TimeUtils does
     * not read. Case and surrounding spaces are ignored.
     *
     * @throws IllegalArgumentException naming the value and showing examples
     */
    public static Duration duration(String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("p") || text.startsWith("-p")) {
                return Duration.parse(text);
            }
            if (!text.isEmpty() && DURATION.matcher(text).matches()) {
                return TimeUtils.toDuration(text);
            }
        } catch (RuntimeException e) {
            // out of range, or not ISO-8601 after all: the message below says what is expected
        }
        throw new IllegalArgumentException("'" + value + "' is not a duration (a bare number is milliseconds; "
                + "examples: 500ms, 10s, 5m, 1h30m, 1d, PT10S)");
    }

    /** Bytes with an optional binary unit: {@code 64M}, {@code 64MiB}, {@code 1G}, {@code 512k}. */
    public static long size(String value) {
        Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a size (examples: 5M, 64MiB, 1G)");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }
}
