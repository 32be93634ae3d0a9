package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.autosync.reconcile.ChangeDetector;
import org.autosync.state.Fingerprint;
import org.autosync.state.MvStoreSyncState;
import org.autosync.state.SyncRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file route's idempotent repository over a real sync state: a fingerprint (key|size|mtime) is contained
 * exactly when the state records that size and mtime for the key, whatever the key holds.
 */
class ChangedFilesRepositoryTest {

    @TempDir
    Path work;
    private MvStoreSyncState state;
    private ChangedFilesRepository repository;

    @BeforeEach
    void setUp() throws Exception {
        state = new MvStoreSyncState(work.resolve("state.mv.db"));
        state.start();
        repository = new ChangedFilesRepository(new ChangeDetector(state, null, false));
        repository.start();
    }

    @AfterEach
    void tearDown() {
        repository.stop();
        state.stop();
    }

    private static String fingerprint(String key, long size, long mtime) {
        return new Fingerprint(key, size, mtime).format();
    }

    @Test
    void unchangedFileIsContainedAndNotClaimedNewOrChangedIsClaimed() {
        String key = "m/a.txt";
        assertThat(repository.contains(fingerprint(key, 5, 1000))).as("new").isFalse();
        assertThat(repository.add(fingerprint(key, 5, 1000))).as("a new file is claimed").isTrue();
        assertThat(repository.add(fingerprint(key, 5, 1000))).as("add records nothing: claimed again").isTrue();
        assertThat(state.get(key)).as("only the upload route writes records").isEmpty();

        state.put(key, new SyncRecord(5, 1000, "e"));
        assertThat(repository.contains(fingerprint(key, 5, 1000))).isTrue();
        assertThat(repository.add(fingerprint(key, 5, 1000))).as("unchanged: skipped").isFalse();
        assertThat(repository.add(fingerprint(key, 6, 1000))).as("size changed").isTrue();
        assertThat(repository.add(fingerprint(key, 5, 999))).as("mtime moved backwards").isTrue();
        assertThat(repository.contains(fingerprint(key, 5, 1001))).isFalse();
    }

    @Test
    void keysContainingPipesAreMatchedWhole() {
        state.put("m/a|5|1000", new SyncRecord(7, 2000, "e"));
        state.put("m/|", new SyncRecord(1, 1, "e"));
        state.put("m/a", new SyncRecord(5, 1000, "e"));

        assertThat(repository.contains("m/a|5|1000|7|2000")).as("the key m/a|5|1000 as recorded").isTrue();
        assertThat(repository.add("m/a|5|1000|7|2000")).isFalse();
        assertThat(repository.contains("m/a|5|1000|5|1000")).as("key m/a|5|1000, other size and mtime").isFalse();
        assertThat(repository.add("m/a|5|1000|5|1000")).isTrue();
        assertThat(repository.contains("m/||1|1")).as("the key m/|").isTrue();
        assertThat(repository.contains("m/a|5|1000")).as("the key m/a").isTrue();
        assertThat(repository.contains("m/a||5|1000")).as("the key m/a| is not m/a").isFalse();
    }

    @Test
    void removeAndClearNeverForgetWhatTheTargetHolds() {
        state.put("m/a|b", new SyncRecord(5, 1000, "e"));
        assertThat(repository.remove(fingerprint("m/a|b", 5, 1000))).isFalse();
        assertThat(repository.confirm(fingerprint("m/a|b", 5, 1000))).isTrue();
        repository.clear();
        assertThat(state.get("m/a|b")).contains(new SyncRecord(5, 1000, "e"));
        assertThat(repository.contains(fingerprint("m/a|b", 5, 1000))).isTrue();
    }

    @Test
    void textThatIsNotAFingerprintIsRefused() {
        assertThatThrownBy(() -> repository.contains("m/a.txt|5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m/a.txt|5");
        assertThatThrownBy(() -> repository.add("m/a.txt")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> repository.contains("m/a|x|1000")).isInstanceOf(NumberFormatException.class);
    }
}
