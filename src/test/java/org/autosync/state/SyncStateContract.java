package org.autosync.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.support.service.ServiceSupport;
import org.autosync.targets.MultipartJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every sync state and multipart journal must do, whatever keeps it: records, paging, a pass's reads,
 * stopping and starting again. Each store's test extends this and says how to open its state.
 */
public abstract class SyncStateContract<S extends ServiceSupport & SyncState & MultipartJournal> {

    protected S state;

    /** A new, not yet started state on the same storage as the one before (in the same test). */
    protected abstract S newState();

    @BeforeEach
    void open() {
        state = newState();
        state.start();
    }

    @AfterEach
    void close() {
        state.stop();
    }

    /** Stops the state and opens the same storage again, as the next run of the job does. */
    protected void reopen() {
        state.stop();
        state = newState();
        state.start();
    }

    /** Every key under {@code prefix}, a page of {@code limit} at a time, each page after the last key of the one before. */
    protected List<List<String>> pages(String prefix, int limit) {
        List<List<String>> pages = new ArrayList<>();
        String after = null;
        for (List<String> page; !(page = state.keysUnder(prefix, after, limit)).isEmpty(); ) {
            pages.add(page);
            after = page.get(page.size() - 1);
        }
        return pages;
    }

    @Test
    void recordIsReadBackAsWrittenAndForgotten() {
        assertThat(state.get("a/b.txt")).isEmpty();
        state.put("a/b.txt", new SyncRecord(12, 1_700_000_000_123L, "\"5d41402abc4b2a76b9719d911017c592\""));
        state.put("no-etag", new SyncRecord(0, -1, null));

        assertThat(state.get("a/b.txt")).contains(new SyncRecord(12, 1_700_000_000_123L, "\"5d41402abc4b2a76b9719d911017c592\""));
        assertThat(state.get("no-etag")).contains(new SyncRecord(0, -1, null));
        assertThat(state.countUnder("")).isEqualTo(2);

        state.put("a/b.txt", new SyncRecord(13, 5, "e2"));
        assertThat(state.get("a/b.txt")).as("a second put replaces the record").contains(new SyncRecord(13, 5, "e2"));

        state.forget("a/b.txt");
        state.forget("never-recorded");
        assertThat(state.get("a/b.txt")).isEmpty();
        assertThat(state.countUnder("")).isEqualTo(1);
    }

    @Test
    void etagWithSpacesIsKeptWhole() {
        state.put("k", new SyncRecord(1, 2, "an etag with spaces"));
        assertThat(state.get("k")).contains(new SyncRecord(1, 2, "an etag with spaces"));
    }

    @Test
    void keysUnderAPrefixComeInOrderAndPageOnAfterTheLastKey() {
        for (String key : List.of("dir/a", "dir/b|1|2", "dir/c", "dir/sub/d", "dir/sub/e", "dir0/x", "dir.txt", "dip/y", "dir")) {
            state.put(key, new SyncRecord(1, 1, null));
        }

        assertThat(state.keysUnder("dir/", null, 100))
                .containsExactly("dir/a", "dir/b|1|2", "dir/c", "dir/sub/d", "dir/sub/e");
        assertThat(pages("dir/", 2)).containsExactly(
                List.of("dir/a", "dir/b|1|2"), List.of("dir/c", "dir/sub/d"), List.of("dir/sub/e"));
        assertThat(state.keysUnder("dir/sub/", null, 100)).containsExactly("dir/sub/d", "dir/sub/e");
        assertThat(state.keysUnder("dir/", "dir/c", 100)).as("after a key in the range")
                .containsExactly("dir/sub/d", "dir/sub/e");
        assertThat(state.keysUnder("dir/", "dir/b~", 100)).as("after a key that is not recorded")
                .containsExactly("dir/c", "dir/sub/d", "dir/sub/e");
        assertThat(state.keysUnder("dir/", "a", 100)).as("after a key before the prefix: from the prefix")
                .containsExactly("dir/a", "dir/b|1|2", "dir/c", "dir/sub/d", "dir/sub/e");
        assertThat(state.keysUnder("dir/", "dir/sub/e", 100)).as("after the last key").isEmpty();
        assertThat(state.keysUnder("dir/", "e", 100)).as("after a key beyond the prefix").isEmpty();
        assertThat(state.keysUnder("nothing/", null, 100)).isEmpty();
        assertThat(state.keysUnder("dir/", null, 0)).isEmpty();
        assertThat(state.keysUnder("", null, 100)).as("every key").hasSize(9).isSorted();
    }

    @Test
    void keysWithPipesAndMultiByteCharactersArePagedWithoutLossOrRepeat() {
        List<String> keys = new ArrayList<>();
        for (String name : List.of("a", "a|b", "a|b|c|d", "ä", "é|1|2", "日本", "日本/語.txt", "𝄞clef", "z", "|", "||")) {
            keys.add("p/" + name);
        }
        keys.forEach(k -> state.put(k, new SyncRecord(k.length(), 7, null)));
        state.put("p", new SyncRecord(1, 1, null));
        state.put("q/日本", new SyncRecord(1, 1, null));
        List<String> sorted = keys.stream().sorted().toList();

        for (int limit : new int[] {1, 2, 3, 11, 1000}) {
            List<String> all = pages("p/", limit).stream().flatMap(List::stream).toList();
            assertThat(all).as("pages of %d", limit).containsExactlyElementsOf(sorted);
        }
        assertThat(state.keysUnder("p/日本", null, 10)).containsExactly("p/日本", "p/日本/語.txt");
        assertThat(state.keysUnder("p/日本/", null, 10)).containsExactly("p/日本/語.txt");
        assertThat(state.get("p/𝄞clef")).contains(new SyncRecord("p/𝄞clef".length(), 7, null));
    }

    @Test
    void clearForgetsEveryRecordButNotTheJournal() {
        state.put("a", new SyncRecord(1, 1, null));
        state.put("b/c", new SyncRecord(2, 2, "e"));
        state.started("big.bin", null, "upload-1");

        state.clear();

        assertThat(state.countUnder("")).isZero();
        assertThat(state.get("a")).isEmpty();
        assertThat(state.keysUnder("", null, 10)).isEmpty();
        assertThat(state.pending()).containsExactly(Map.entry("upload-1", "big.bin"));
    }

    @Test
    void recordsSurviveAStopAndAReopen() {
        state.put("kept", new SyncRecord(3, 4, "e"));
        state.put("dir/k|1|2", new SyncRecord(5, 6, null));
        state.put("forgotten", new SyncRecord(1, 1, null));
        state.forget("forgotten");

        reopen();

        assertThat(state.get("kept")).contains(new SyncRecord(3, 4, "e"));
        assertThat(state.get("dir/k|1|2")).contains(new SyncRecord(5, 6, null));
        assertThat(state.get("forgotten")).isEmpty();
        assertThat(state.keysUnder("", null, 10)).containsExactly("dir/k|1|2", "kept");
    }

    @Test
    void journalKeepsStartedUploadsUntilTheyEndAcrossReopens() {
        state.started("a/big.bin", null, "id-1");
        state.started("b/huge.bin", null, "id-2");
        state.started("a/big.bin", null, "id-3"); // a second upload of the same key is a second entry
        assertThat(state.pending()).containsExactly(
                Map.entry("id-1", "a/big.bin"), Map.entry("id-2", "b/huge.bin"), Map.entry("id-3", "a/big.bin"));

        reopen();
        assertThat(state.pending()).containsExactly(
                Map.entry("id-1", "a/big.bin"), Map.entry("id-2", "b/huge.bin"), Map.entry("id-3", "a/big.bin"));

        state.ended("b/huge.bin", "id-2");
        state.ended("x", "never-started");
        reopen();
        assertThat(state.pending()).containsExactly(Map.entry("id-1", "a/big.bin"), Map.entry("id-3", "a/big.bin"));
        assertThat(state.countUnder("")).as("the journal is not a record").isZero();
    }

    @Test
    void aPassReadsEveryRecordInKeyOrderAndSeesTheWritesMadeDuringIt() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            keys.add(String.format("d%02d/f%05d", i % 7, i));
        }
        keys.stream().filter(k -> !k.endsWith("7")).forEach(k -> state.put(k, new SyncRecord(k.length(), 1, "e")));
        List<String> sorted = keys.stream().sorted().toList();

        try (SyncState.PassReads reads = state.passReads()) {
            int i = 0;
            for (String key : sorted) {
                if (i++ == 1200) {
                    state.put(sorted.get(1300), new SyncRecord(99, 2, null)); // an upload recorded during the pass
                    state.forget(sorted.get(1301));
                    state.put(sorted.get(10), new SyncRecord(98, 3, null)); // behind the pass's position
                }
                boolean expected = !key.endsWith("7");
                if (key.equals(sorted.get(1300))) {
                    assertThat(state.get(key)).contains(new SyncRecord(99, 2, null));
                } else if (key.equals(sorted.get(1301)) && i > 1200) {
                    assertThat(state.get(key)).as("forgotten during the pass").isEmpty();
                } else {
                    assertThat(state.get(key).isPresent()).as(key).isEqualTo(expected);
                }
            }
            assertThat(state.get(sorted.get(10))).as("read out of order").contains(new SyncRecord(98, 3, null));
            assertThat(state.get("zzz-never-recorded")).isEmpty();
        }
        assertThat(state.get(sorted.get(1300))).as("after the pass").contains(new SyncRecord(99, 2, null));
        assertThat(state.get(sorted.get(1301))).isEmpty();
    }

    @Test
    void theSameInstanceStartsAgainAfterAStop() {
        state.put("kept", new SyncRecord(1, 2, "e"));
        state.stop();
        state.start();

        assertThat(state.get("kept")).contains(new SyncRecord(1, 2, "e"));
        state.put("after", new SyncRecord(3, 4, null));
        assertThat(state.keysUnder("", null, 10)).containsExactly("after", "kept");
    }

    @Test
    void journalIntentIsReplacedByItsUploadId() {
        state.creating("big.bin", "token-1");
        state.creating("other.bin", "token-2");
        assertThat(state.intents()).containsExactly(Map.entry("token-1", "big.bin"), Map.entry("token-2", "other.bin"));

        state.started("big.bin", "token-1", "upload-1");
        state.notCreated("other.bin", "token-2");
        reopen();

        assertThat(state.intents()).isEmpty();
        assertThat(state.pending()).containsExactly(Map.entry("upload-1", "big.bin"));
    }
}
