package org.autosync.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void showsDoneOfTotalRateAndTimeLeft() {
        ProgressLine line = new ProgressLine("photos", 3412, 10 * MIB, OptionalLong.of(10_000), OptionalLong.of(40 * MIB),
                Duration.ofSeconds(10));

        assertThat(line).hasToString("photos: 3,412/10,000 files, 10.0 MiB/40.0 MiB, 1.0 MiB/s, ETA 30s");
    }

    @Test
    void withoutATotalShowsOnlyWhatIsDoneAndTheRate() {
        ProgressLine line = new ProgressLine("docs", 12, 512, OptionalLong.empty(), OptionalLong.empty(),
                Duration.ofSeconds(10));

        assertThat(line).hasToString("docs: 12 files, 512 B, 51 B/s");
        assertThat(line.eta()).isEmpty();
    }

    @Test
    void beforeTheFirstUploadHasNoTimeLeft() {
        ProgressLine line = new ProgressLine("docs", 0, 0, OptionalLong.of(5), OptionalLong.of(1024), Duration.ofSeconds(30));

        assertThat(line).hasToString("docs: 0/5 files, 0 B/1.0 KiB, 0 B/s");
    }

    @Test
    void longTimesLeftAreInMinutesAndHours() {
        ProgressLine line = new ProgressLine("big", 1, MIB, OptionalLong.of(1000), OptionalLong.of(1024 * MIB),
                Duration.ofSeconds(100));

        assertThat(line.rate()).isEqualTo(10_486);
        assertThat(line.eta()).hasValue(Duration.ofSeconds(102_298));
        assertThat(line.toString()).endsWith(", 10.2 KiB/s, ETA 28h24m");
        assertThat(ProgressLine.duration(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(ProgressLine.duration(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(ProgressLine.duration(Duration.ofSeconds(3600))).isEqualTo("1h");
    }

    @Test
    void bytesUseBinaryUnits() {
        assertThat(ProgressLine.bytes(1023)).isEqualTo("1023 B");
        assertThat(ProgressLine.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(ProgressLine.bytes(3L * 1024 * MIB)).isEqualTo("3.0 GiB");
    }

    @Test
    void aFinishedPassHasNoTimeLeftEvenIfItUploadedMoreThanCounted() {
        ProgressLine line = new ProgressLine("photos", 10, 2 * MIB, OptionalLong.of(10), OptionalLong.of(MIB),
                Duration.ofSeconds(1));

        assertThat(line.eta()).hasValue(Duration.ZERO);
    }
}
