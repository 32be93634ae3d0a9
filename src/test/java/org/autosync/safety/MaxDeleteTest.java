package org.autosync.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MaxDeleteTest {

    @Test
    void percentageOfTheObjectsInScopeRoundedDownWithAFloorOfTen() {
        MaxDelete half = MaxDelete.parse("50%");
        assertThat(half.allowed(30)).isEqualTo(15);
        assertThat(half.allowed(31)).isEqualTo(15);
        assertThat(half.allowed(4)).as("small trees").isEqualTo(10);
        assertThat(half.allowed(-1)).as("count unknown").isEqualTo(10);
        assertThat(MaxDelete.parse("12.5%").allowed(1000)).isEqualTo(125);
        assertThat(MaxDelete.DEFAULT).isEqualTo(half);
    }

    @Test
    void countIsTakenAsGiven() {
        assertThat(MaxDelete.parse("3").allowed(1_000_000)).isEqualTo(3);
        assertThat(MaxDelete.parse("0").allowed(5)).isZero();
    }

    @Test
    void hundredPercentIsUnlimited() {
        assertThat(MaxDelete.parse("100%").unlimited()).isTrue();
        assertThat(MaxDelete.parse("100%").allowed(5)).isEqualTo(Long.MAX_VALUE);
        assertThat(MaxDelete.parse("99%").unlimited()).isFalse();
    }

    @Test
    void nonsenseIsRejectedWithAnExample() {
        for (String bad : new String[] {"", "abc", "-1", "101%", "-5%", "5 files"}) {
            assertThatThrownBy(() -> MaxDelete.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("50%");
        }
    }

    @Test
    void backupPrefixIsNormalizedAndKeysUnderItAreRecognized() {
        DeletePolicy p = new DeletePolicy(false, MaxDelete.DEFAULT, "/trash/", DeletePolicy.DEFAULT_WINDOW);
        assertThat(p.backupPrefix()).isEqualTo("trash/");
        assertThat(p.backupKeyOf("src/a.txt")).isEqualTo("trash/src/a.txt");
        assertThat(p.isBackupKey("trash/src/a.txt")).isTrue();
        assertThat(p.isBackupKey("trashcan/a")).isFalse();
        assertThat(DeletePolicy.defaults().isBackupKey("trash/x")).isFalse();
        assertThatThrownBy(() -> DeletePolicy.normalizeBackupPrefix("a//b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeletePolicy.normalizeBackupPrefix("/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeletePolicy.normalizeBackupPrefix("a/../b")).isInstanceOf(IllegalArgumentException.class);
    }
}
