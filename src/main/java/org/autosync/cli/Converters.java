package org.autosync.cli;

import java.time.Duration;
import java.util.function.Function;

import org.autosync.config.Values;
import org.autosync.safety.MaxDelete;
import org.autosync.state.postgres.PostgresUrl;
import org.autosync.watch.WatchMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value parsers: the parsers job parameters use too, with picocli's error type. */
final class Converters {

    private Converters() {
    }

    private static <T> T convert(Function<String, T> parser, String value) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * Camel's durations ({@link Values#duration}): {@code 500ms}, {@code 10s}, {@code 1h30m}, {@code PT10S}; a bare
     * number is milliseconds.
     */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Converters.convert(Values::duration, value);
        }
    }

    /** Bytes with an optional binary unit: {@code 64M}, {@code 64MiB}, {@code 1G}, {@code 512k}. */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Converters.convert(Values::size, value);
        }
    }

    /** {@code --max_delete}: a count ({@code 100}) or a percentage ({@code 50%}). */
    static final class MaxDeleteConverter implements ITypeConverter<MaxDelete> {
        @Override
        public MaxDelete convert(String value) {
            return Converters.convert(MaxDelete::parse, value);
        }
    }

    /** {@code --state_url}: checked as a job's stateUrl is, kept as given (a job's property, read by each job). */
    static final class StateUrlConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            Converters.convert(PostgresUrl::parse, value);
            return value;
        }
    }

    /** {@code --watch}: {@code events} or {@code poll}, any case. */
    static final class WatchModeConverter implements ITypeConverter<WatchMode> {
        @Override
        public WatchMode convert(String value) {
            return Converters.convert(WatchMode::parse, value);
        }
    }
}
