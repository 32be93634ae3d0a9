package org.autosync.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.autosync.keys.KeyMapper;
import org.autosync.local.LocalFile;
import org.autosync.reconcile.ChangeDetector;
import org.autosync.local.SettleRule;
import org.autosync.local.SourceFilter;
import org.autosync.local.TempFileNames;
import org.autosync.state.MvStoreSyncState;
import org.autosync.state.SyncRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event to action mapping on a real directory, with a manual clock for the settle checks. */
class WatchEventsTest {

    private static final long SETTLE = 500;

    @TempDir
    Path work;
    private Path root;
    private MvStoreSyncState state;
    private final DebouncerTest.ManualTime time = new DebouncerTest.ManualTime();
    private final List<String> uploads = new ArrayList<>();
    private final List<List<String>> deletes = new ArrayList<>();
    private final List<List<String>> renamed = new ArrayList<>();
    private final List<String> blocked = new ArrayList<>();
    private WatchEvents events;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(work.resolve("src"));
        state = new MvStoreSyncState(work.resolve("state.mv.db"));
        state.start();
        time.now = System.currentTimeMillis();
        events = new WatchEvents(root, new KeyMapper(root.toString(), "m"),
                SourceFilter.compile("^.*$").excluding(TempFileNames.parse("*.part")),
                new SettleRule(Duration.ofMillis(SETTLE), () -> time.now), false, state,
                new ChangeDetector(state, null, false),
                new WatchEvents.Actions() {
                    @Override
                    public void upload(LocalFile file, String reason) {
                        uploads.add(root.relativize(file.path()) + ":" + file.size());
                    }

                    @Override
                    public void delete(List<String> keys) {
                        deletes.add(keys);
                    }

                    @Override
                    public void deleteRenamed(List<String> keys) {
                        renamed.add(keys);
                    }

                    @Override
                    public void blocked(String reason) {
                        blocked.add(reason);
                    }
                }, () -> time.now, time);
    }

    @AfterEach
    void tearDown() {
        state.stop();
    }

    private Path write(String name, String content, long mtime) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime));
        return file;
    }

    @Test
    void createdFileIsUploadedOnceItHasSettled() throws IOException {
        Path f = write("a.txt", "abc", time.now);
        events.onEvent(WatchEvents.Kind.CREATE, f);
        events.onEvent(WatchEvents.Kind.MODIFY, f);
        time.advanceTo(time.now + SETTLE - 1);
        assertThat(uploads).isEmpty();
        time.advanceTo(time.now + 1);
        assertThat(uploads).containsExactly("a.txt:3");
    }

    @Test
    void fileWrittenAgainBeforeItSettledIsCheckedAgainAtItsNewSettleTime() throws IOException {
        long t0 = time.now;
        Path f = write("a.txt", "a", t0);
        events.onEvent(WatchEvents.Kind.CREATE, f);
        time.advanceTo(t0 + 300);
        write("a.txt", "ab", t0 + 300); // a MODIFY the watcher has not delivered yet
        time.advanceTo(t0 + SETTLE);
        assertThat(uploads).as("checked at the first due time, found unsettled").isEmpty();
        time.advanceTo(t0 + 300 + SETTLE);
        assertThat(uploads).containsExactly("a.txt:2");
    }

    @Test
    void fileTheStateAlreadyDescribesIsNotUploaded() throws IOException {
        Path f = write("a.txt", "abc", time.now - 10_000);
        state.put("m/a.txt", new SyncRecord(3, time.now - 10_000, "etag"));
        events.onEvent(WatchEvents.Kind.MODIFY, f);
        time.advanceTo(time.now);
        assertThat(uploads).isEmpty();
    }

    @Test
    void filteredAndTempFilesAreIgnored() throws IOException {
        Path f = write("a.part", "x", time.now - 10_000);
        events.onEvent(WatchEvents.Kind.CREATE, f);
        time.advanceTo(time.now + SETTLE);
        assertThat(uploads).isEmpty();
        assertThat(events.pendingChecks()).isZero();
    }

    @Test
    void createdDirectoryIsWalked() throws IOException {
        write("d/x.txt", "x", time.now - 10_000);
        write("d/e/y.txt", "yy", time.now - 10_000);
        events.onEvent(WatchEvents.Kind.CREATE, root.resolve("d"));
        time.advanceTo(time.now);
        assertThat(uploads).containsExactlyInAnyOrder("d/x.txt:1", "d/e/y.txt:2");
    }

    @Test
    void deletedFileWithARecordIsDeletedAndWithoutOneIsNot() {
        state.put("m/a.txt", new SyncRecord(1, 1, null));
        events.onEvent(WatchEvents.Kind.DELETE, root.resolve("a.txt"));
        events.onEvent(WatchEvents.Kind.DELETE, root.resolve("never-uploaded.txt"));
        assertThat(deletes).as("held for the rename window").isEmpty();
        time.advanceTo(time.now + WatchEvents.RENAME_WINDOW_MILLIS);
        assertThat(deletes).containsExactly(List.of("m/a.txt"));
    }

    @Test
    void deletedDirectoryBecomesADeleteOfTheRecordedKeysUnderIt() {
        state.put("m/d/x.txt", new SyncRecord(1, 1, null));
        state.put("m/d/e/y.txt", new SyncRecord(1, 1, null));
        state.put("m/d.txt", new SyncRecord(1, 1, null));
        state.put("m/dd/z.txt", new SyncRecord(1, 1, null));
        events.onEvent(WatchEvents.Kind.DELETE, root.resolve("d"));
        time.advanceTo(time.now + WatchEvents.RENAME_WINDOW_MILLIS);
        assertThat(deletes).containsExactly(List.of("m/d/e/y.txt", "m/d/x.txt"));
    }

    @Test
    void deletedDirectoryWithMoreKeysThanABatchIsDeletedInBatches() {
        for (int i = 0; i < WatchEvents.DELETE_BATCH + 5; i++) {
            state.put(String.format("m/d/f%05d", i), new SyncRecord(1, 1, null));
        }
        events.onEvent(WatchEvents.Kind.DELETE, root.resolve("d"));
        time.advanceTo(time.now + WatchEvents.RENAME_WINDOW_MILLIS);
        assertThat(deletes).hasSize(2);
        assertThat(deletes.get(0)).hasSize(WatchEvents.DELETE_BATCH);
        assertThat(deletes.get(1)).hasSize(5);
    }

    @Test
    void renameIsADeleteOfTheOldKeyAndAnUploadOfTheNewNotCountedAsDataGoingAway() throws IOException {
        Path old = write("old.txt", "abc", time.now - 10_000);
        state.put("m/old.txt", new SyncRecord(3, time.now - 10_000, null));
        Path moved = Files.move(old, root.resolve("new.txt"));
        events.onEvent(WatchEvents.Kind.DELETE, old);
        events.onEvent(WatchEvents.Kind.CREATE, moved);
        time.advanceTo(time.now + WatchEvents.RENAME_WINDOW_MILLIS);
        assertThat(renamed).containsExactly(List.of("m/old.txt"));
        assertThat(deletes).isEmpty();
        assertThat(uploads).containsExactly("new.txt:3");
    }

    @Test
    void renamedDirectoryIsTwoRenamesAndAnUnrelatedDeleteIsNot() throws IOException {
        long mtime = time.now - 10_000;
        write("d/x.txt", "x", mtime);
        write("d/y.txt", "yy", mtime);
        state.put("m/d/x.txt", new SyncRecord(1, mtime, null));
        state.put("m/d/y.txt", new SyncRecord(2, mtime, null));
        state.put("m/gone.txt", new SyncRecord(7, mtime, null));
        Path moved = Files.move(root.resolve("d"), root.resolve("e"));
        events.onEvent(WatchEvents.Kind.DELETE, root.resolve("d"));
        events.onEvent(WatchEvents.Kind.DELETE, root.resolve("gone.txt"));
        events.onEvent(WatchEvents.Kind.CREATE, moved);
        time.advanceTo(time.now + WatchEvents.RENAME_WINDOW_MILLIS);
        assertThat(renamed).containsExactly(List.of("m/d/x.txt", "m/d/y.txt"));
        assertThat(deletes).containsExactly(List.of("m/gone.txt"));
    }

    @Test
    void fileSeenCreatedAndThenDeletedIsADeleteNotARename() throws IOException {
        long mtime = time.now - 10_000;
        Path f = write("short-lived.txt", "abc", mtime);
        events.onEvent(WatchEvents.Kind.CREATE, f);
        state.put("m/short-lived.txt", new SyncRecord(3, mtime, null));
        Files.delete(f);
        events.onEvent(WatchEvents.Kind.DELETE, f);
        time.advanceTo(time.now + WatchEvents.RENAME_WINDOW_MILLIS);
        assertThat(renamed).isEmpty();
        assertThat(deletes).containsExactly(List.of("m/short-lived.txt"));
    }

    @Test
    void deleteOfAPathThatExistsAgainIsAnUpload() throws IOException {
        Path f = write("a.txt", "new", time.now - 10_000);
        state.put("m/a.txt", new SyncRecord(1, 1, null));
        events.onEvent(WatchEvents.Kind.DELETE, f);
        time.advanceTo(time.now + WatchEvents.RENAME_WINDOW_MILLIS);
        assertThat(deletes).isEmpty();
        assertThat(uploads).containsExactly("a.txt:3");
    }

    @Test
    void noDeletesOnceTheRootIsGoneOrReplaced() throws IOException {
        state.put("m/a.txt", new SyncRecord(1, 1, null));
        Path away = Files.move(root, work.resolve("away"));
        events.onEvent(WatchEvents.Kind.DELETE, root.resolve("a.txt"));
        events.onEvent(WatchEvents.Kind.DELETE, root);
        assertThat(deletes).isEmpty();
        assertThat(blocked).hasSize(2).allMatch(r -> r.contains("is gone"));

        Files.createDirectories(root); // an empty directory where the root was (an unmounted mount point)
        events.onEvent(WatchEvents.Kind.DELETE, root.resolve("a.txt"));
        assertThat(deletes).isEmpty();
        assertThat(blocked.get(2)).contains("replaced");
        assertThat(away).exists();
    }
}
