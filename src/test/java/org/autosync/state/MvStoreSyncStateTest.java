package org.autosync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync state and multipart journal in a real MVStore file: records, paging, reopening, the lock. */
class MvStoreSyncStateTest {

    @TempDir
    Path work;
    private Path file;
    private MvStoreSyncState state;

    @BeforeEach
    void open() {
        file = work.resolve("jobs/state.mv.db");
        state = started(file);
    }

    @AfterEach
    void close() {
        state.stop();
    }

    private static MvStoreSyncState started(Path file) {
        MvStoreSyncState s = new MvStoreSyncState(file);
        s.start();
        return s;
    }

    /** Stops the state and opens the same file again, as the next run of the job does. */
    private void reopen() {
        state.stop();
        state = started(file);
    }

    /** Every key under {@code prefix}, a page of {@code limit} at a time, each page after the last key of the one before. */
    private List<List<String>> pages(String prefix, int limit) {
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
        assertThat(state.size()).isEqualTo(2);

        state.put("a/b.txt", new SyncRecord(13, 5, "e2"));
        assertThat(state.get("a/b.txt")).as("a second put replaces the record").contains(new SyncRecord(13, 5, "e2"));

        state.forget("a/b.txt");
        state.forget("never-recorded");
        assertThat(state.get("a/b.txt")).isEmpty();
        assertThat(state.size()).isEqualTo(1);
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

        assertThat(state.size()).isZero();
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
        assertThat(state.size()).as("the journal is not a record").isZero();
    }

    @Test
    void journalEntryIsOnDiskWhenStartedReturns() throws Exception {
        state.started("a/big.bin", null, "id-1");

        // a copy of the file as it is now, while the store is still open: what a SIGKILL would leave behind
        Path copy = Files.copy(file, work.resolve("copy.mv.db"));
        MvStoreSyncState afterKill = started(copy);
        try {
            assertThat(afterKill.pending()).containsExactly(Map.entry("id-1", "a/big.bin"));
        } finally {
            afterKill.stop();
        }
    }

    @Test
    void secondOpenOfTheSameFileFailsNamingTheFile() {
        state.put("a", new SyncRecord(1, 1, null));
        MvStoreSyncState second = new MvStoreSyncState(file);

        assertThatThrownBy(second::start)
                .hasMessageContaining("cannot open sync state " + file)
                .hasMessageContaining("another autosync");
        assertThat(state.get("a")).as("the first stays usable").contains(new SyncRecord(1, 1, null));
        second.stop();

        reopen();
        assertThat(state.get("a")).contains(new SyncRecord(1, 1, null));
    }

    @Test
    void fileAndItsNewDirectoryAreReadableByTheOwnerOnly() throws Exception {
        assertThat(Files.exists(file)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }
}
