package org.autosync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class HalfWrittenRulesTest {

    @Test
    void defaultTempGlobsMatchTheFileNameOnly() {
        TempFileNames temp = TempFileNames.defaults();
        assertThat(temp.matches(Path.of("/data/x.part"))).isTrue();
        assertThat(temp.matches(Path.of("/data/y.tmp"))).isTrue();
        assertThat(temp.matches(Path.of("/data/.~lock.report.odt#"))).isTrue();
        assertThat(temp.matches(Path.of("/data/x.part/inside.txt"))).isFalse();
        assertThat(temp.matches(Path.of("/data/partial.txt"))).isFalse();
        assertThat(temp.matches(Path.of("/data/x.tmp.txt"))).isFalse();
        assertThat(TempFileNames.parse("").matches(Path.of("/data/x.part"))).isFalse();
        assertThat(TempFileNames.parse(" *.crdownload , ").globs()).containsExactly("*.crdownload");
    }

    @Test
    void badTempGlobsAreRejectedByName() {
        assertThatThrownBy(() -> TempFileNames.parse("*.part,[a-")).hasMessageContaining("'[a-'");
        assertThatThrownBy(() -> TempFileNames.parse("dir/*.tmp")).hasMessageContaining("'dir/*.tmp'");
    }

    @Test
    void sourceFilterExcludingTempNamesRejectsThemLikeFilteredPaths() {
        SourceFilter filter = SourceFilter.compile(".*\\.(txt|part)$").excluding(TempFileNames.defaults());
        assertThat(filter.accepts(Path.of("/d/a.txt"))).isTrue();
        assertThat(filter.accepts(Path.of("/d/a.part"))).isFalse();
        assertThat(SourceFilter.acceptAll().accepts(Path.of("/d/a.part"))).isTrue();
    }

    @Test
    void aFileSettlesOnceItsMtimeIsTheSettleTimeInThePast() {
        AtomicLong now = new AtomicLong(10_000);
        SettleRule rule = new SettleRule(Duration.ofMillis(500), now::get);
        assertThat(rule.isSettled(9_600)).isFalse();
        assertThat(rule.remainingMillis(9_600)).isEqualTo(100);
        assertThat(rule.isSettled(9_500)).isTrue();
        assertThat(rule.isSettled(10_400)).as("slightly in the future: being written on a skewed clock").isFalse();
        assertThat(rule.isSettled(20_000)).as("far in the future: set explicitly, waiting would not help").isTrue();
        assertThat(SettleRule.of(Duration.ZERO).isSettled(now.get())).isTrue();
    }
}
