package org.autosync.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceFilterTest {

    @Test
    void matchesAtTheStartOfTheAbsolutePathLikePythonReMatch() {
        Path file = Path.of("/data/audio/show.mp3");

        assertThat(SourceFilter.compile("/data/audio").accepts(file)).isTrue();
        assertThat(SourceFilter.compile("^/data").accepts(file)).isTrue();
        assertThat(SourceFilter.compile(".*\\.mp3$").accepts(file)).isTrue();
        assertThat(SourceFilter.compile("audio").accepts(file)).isFalse();
        assertThat(SourceFilter.compile("\\.mp3$").accepts(file)).isFalse();
        assertThat(SourceFilter.compile(".*\\.wav$").accepts(file)).isFalse();
    }

    @Test
    void acceptAllAcceptsEverything() {
        assertThat(SourceFilter.acceptAll().accepts(Path.of("/any/.hidden"))).isTrue();
    }

    @Test
    void rejectsAnInvalidRegexNamingItAndTheReason() {
        assertThatThrownBy(() -> SourceFilter.compile("*.mp3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'*.mp3'")
                .hasMessageContaining("Dangling meta character");
    }
}
