package org.autosync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync state contract in a real MVStore file, and what is the file's own: on disk at once, the lock, permissions. */
class MvStoreSyncStateTest extends SyncStateContract<MvStoreSyncState> {

    @TempDir
    Path work;

    private Path file() {
        return work.resolve("jobs/state.mv.db");
    }

    @Override
    protected MvStoreSyncState newState() {
        return new MvStoreSyncState(file());
    }

    private static MvStoreSyncState started(Path file) {
        MvStoreSyncState s = new MvStoreSyncState(file);
        s.start();
        return s;
    }

    @Test
    void journalEntryIsOnDiskWhenStartedReturns() throws Exception {
        state.started("a/big.bin", null, "id-1");

        // a copy of the file as it is now, while the store is still open: what a SIGKILL would leave behind
        Path copy = Files.copy(file(), work.resolve("copy.mv.db"));
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
        MvStoreSyncState second = new MvStoreSyncState(file());

        assertThatThrownBy(second::start)
                .hasMessageContaining("cannot open sync state " + file())
                .hasMessageContaining("another autosync");
        assertThat(state.get("a")).as("the first stays usable").contains(new SyncRecord(1, 1, null));
        second.stop();

        reopen();
        assertThat(state.get("a")).contains(new SyncRecord(1, 1, null));
    }

    @Test
    void fileAndItsNewDirectoryAreReadableByTheOwnerOnly() throws Exception {
        assertThat(Files.exists(file())).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent()))).isEqualTo("rwx------");
    }
}
