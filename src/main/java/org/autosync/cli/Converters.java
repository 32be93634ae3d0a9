package org.autosync.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value parsers for human-written durations and sizes. */
final class Converters {

    private Converters() {
    }

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}, a bare number of seconds, or ISO-8601 {@code PT10S}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

        @Override
        public Duration convert(String value) {
            Matcher m = SIMPLE.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofSeconds(n);
                };
            }
            try {
                return Duration.parse(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is not a duration (examples: 500ms, 10s, 5m, 1h)");
            }
        }
    }

    /** Bytes with an optional binary unit: {@code 64M}, {@code 64MiB}, {@code 1G}, {@code 512k}. */
    static final class SizeConverter implements ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?");

        @Override
        public Long convert(String value) {
            Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a size (examples: 5M, 64MiB, 1G)");
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

    /** {@code --max_delete}: a count ({@code 100}) or a percentage ({@code 50%}). */
    static final class MaxDeleteConverter implements ITypeConverter<org.autosync.safety.MaxDelete> {
        @Override
        public org.autosync.safety.MaxDelete convert(String value) {
            try {
                return org.autosync.safety.MaxDelete.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --watch}: {@code events} or {@code poll}, any case. */
    static final class WatchModeConverter implements ITypeConverter<org.autosync.watch.WatchMode> {
        @Override
        public org.autosync.watch.WatchMode convert(String value) {
            try {
                return org.autosync.watch.WatchMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
