package org.autosync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Durations read the way Camel reads them (a bare number is milliseconds), and sizes. */
class ValuesTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "1500, 1500",
            "500ms, 500",
            "10s, 10000",
            "5m, 300000",
            "1h, 3600000",
            "1d, 86400000",
            "1h30m, 5400000",
            "2m30s500ms, 150500",
            "1d2h3m4s5ms, 93784005",
            "10S, 10000",
            "' 10s ', 10000",
            "PT10S, 10000",
            "pt1m, 60000",
    })
    void should_read_durations_like_camel(String text, long millis) {
        assertThat(Values.duration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "10x", "1.5s", "-5s", "1h 30m", "30m1h", "1m1m", "5 seconds", "s",
            "99999999999999999999", "PT"})
    void should_refuse_anything_else_in_one_line(String text) {
        assertThatThrownBy(() -> Values.duration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a duration (a bare number is milliseconds; "
                        + "examples: 500ms, 10s, 5m, 1h30m, 1d, PT10S)");
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "512, 512", "512k, 524288", "64M, 67108864", "64MiB, 67108864", "1G, 1073741824"})
    void should_read_sizes_with_binary_units(String text, long bytes) {
        assertThat(Values.size(text)).isEqualTo(bytes);
    }
}
