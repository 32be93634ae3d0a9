package org.autosync.targets;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.api.Test;

class StoredMtimeTest {

    @Test
    void formatsLikeRclone() {
        assertThat(StoredMtime.format(1_700_000_000_123L)).isEqualTo("1700000000.123");
        assertThat(StoredMtime.format(1_700_000_000_500L)).isEqualTo("1700000000.5");
        assertThat(StoredMtime.format(1_700_000_000_000L)).isEqualTo("1700000000");
        assertThat(StoredMtime.format(5L)).isEqualTo("0.005");
        assertThat(StoredMtime.format(-1_500L)).isEqualTo("-1.5");
    }

    @Test
    void parsesWhatRcloneWrites() {
        assertThat(StoredMtime.parseMillis("1354040105.123456789")).contains(1_354_040_105_123L);
        assertThat(StoredMtime.parseMillis("1354040105")).contains(1_354_040_105_000L);
        assertThat(StoredMtime.parseMillis("1354040105.1")).contains(1_354_040_105_100L);
        assertThat(StoredMtime.parseMillis("not a number")).isEmpty();
        assertThat(StoredMtime.parseMillis("")).isEmpty();
        assertThat(StoredMtime.parseMillis(null)).isEmpty();
    }

    @Property
    void roundTrips(@ForAll @LongRange(min = -4_000_000_000_000L, max = 32_503_680_000_000L) long millis) {
        assertThat(StoredMtime.parseMillis(StoredMtime.format(millis))).contains(millis);
    }
}
