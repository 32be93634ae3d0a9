package org.autosync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.autosync.local.LocalFile;
import org.autosync.state.MvStoreSyncState;
import org.autosync.state.SyncRecord;
import org.autosync.examples.LocalDirectoryActor;
import org.autosync.targets.RemoteObject;
import org.autosync.targets.Upload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeDetectorTest {

    /** md5("hello") */
    private static final String HELLO_MD5 = "5d41402abc4b2a76b9719d911017c592";

    @TempDir
    Path work;
    private MvStoreSyncState state;
    private Path file;

    @BeforeEach
    void setUp() throws Exception {
        state = new MvStoreSyncState(work.resolve("state.mv.db"));
        state.start();
        file = Files.writeString(work.resolve("a.txt"), "hello");
    }

    @AfterEach
    void tearDown() {
        state.stop();
    }

    private LocalFile local(long mtime) {
        return new LocalFile(file, "k", 5, mtime);
    }

    /** A detector against a real target (a directory) holding object k with {@code storedMtime}, or none. */
    private ChangeDetector detector(Long storedMtime) throws Exception {
        LocalDirectoryActor target = new LocalDirectoryActor();
        target.setRoot(Files.createDirectories(work.resolve("target-" + storedMtime)).toString());
        if (storedMtime != null) {
            target.upload(new Upload("k", file, 5, storedMtime, null, Map.of(), null));
        }
        return new ChangeDetector(state, target, true);
    }

    @Test
    void unrecordedFileIsNewAndRecordedUnchangedFileIsNot() throws Exception {
        ChangeDetector changes = detector(null);
        assertThat(changes.localChange("k", 5, 1000)).contains("new");
        state.put("k", new SyncRecord(5, 1000, "e"));
        assertThat(changes.localChange("k", 5, 1000)).isEmpty();
        assertThat(changes.localChange("k", 6, 1000)).contains("changed");
        assertThat(changes.localChange("k", 5, 999)).as("an mtime that moved backwards").contains("changed");
    }

    @Test
    void recordedFileChangedLocallyOrInTheTarget() throws Exception {
        ChangeDetector changes = detector(null);
        state.put("k", new SyncRecord(5, 1000, "e1"));
        assertThat(changes.uploadReason(local(2000), new RemoteObject("k", 5, "e1"))).contains("changed");
        assertThat(changes.uploadReason(local(1000), new RemoteObject("k", 7, "e1"))).contains("changed in target");
        assertThat(changes.uploadReason(local(1000), new RemoteObject("k", 5, "e2"))).contains("changed in target");
        assertThat(changes.uploadReason(local(1000), new RemoteObject("k", 5, "e1"))).isEmpty();
    }

    @Test
    void unrecordedFileIsAdoptedWhenItsMd5MatchesASinglePartEtag() throws Exception {
        ChangeDetector changes = detector(null);
        assertThat(changes.uploadReason(local(1000), new RemoteObject("k", 5, HELLO_MD5))).isEmpty();
        assertThat(state.get("k")).contains(new SyncRecord(5, 1000, HELLO_MD5));
    }

    @Test
    void unrecordedFileDiffersInSizeOrContent() throws Exception {
        ChangeDetector changes = detector(null);
        assertThat(changes.uploadReason(local(1000), new RemoteObject("k", 6, HELLO_MD5))).contains("size differs");
        assertThat(changes.uploadReason(local(1000), new RemoteObject("k", 5, "00000000000000000000000000000000")))
                .contains("content differs");
        assertThat(state.get("k")).isEmpty();
    }

    @Test
    void multipartObjectIsAdoptedByTheMtimeAnEarlierUploadStored() throws Exception {
        RemoteObject multipart = new RemoteObject("k", 5, "0123456789abcdef0123456789abcdef-2");
        assertThat(detector(1000L).uploadReason(local(1000), multipart)).isEmpty();
        state.forget("k");
        assertThat(detector(999L).uploadReason(local(1000), multipart)).contains("content differs");
        assertThat(detector(null).uploadReason(local(1000), multipart)).contains("content differs");
    }
    @Test
    void recordedFileWithoutAnEtagOnEitherSideIsJudgedBySizeAlone() throws Exception {
        ChangeDetector changes = detector(null);
        state.put("k", new SyncRecord(5, 1000, null));
        assertThat(changes.uploadReason(local(1000), new RemoteObject("k", 5, "e-any"))).as("no recorded etag").isEmpty();
        assertThat(changes.uploadReason(local(1000), new RemoteObject("k", 6, "e-any"))).contains("changed in target");
        state.put("k", new SyncRecord(5, 1000, "e1"));
        assertThat(changes.uploadReason(local(1000), new RemoteObject("k", 5, null))).as("no listed etag").isEmpty();
        assertThat(changes.uploadReason(local(1000), new RemoteObject("k", 4, null))).contains("changed in target");
        assertThat(state.get("k")).as("a recorded file is never re-adopted").contains(new SyncRecord(5, 1000, "e1"));
    }

    @Test
    void singlePartEtagIsComparedWhateverItsCase() throws Exception {
        ChangeDetector changes = detector(null);
        String upper = HELLO_MD5.toUpperCase(java.util.Locale.ROOT);
        assertThat(changes.uploadReason(local(1000), new RemoteObject("k", 5, upper))).isEmpty();
        assertThat(state.get("k")).contains(new SyncRecord(5, 1000, upper));
    }

    @Test
    void objectWithoutAnEtagIsAdoptedByItsStoredMtimeOnly() throws Exception {
        assertThat(detector(1000L).uploadReason(local(1000), new RemoteObject("k", 5, null))).isEmpty();
        assertThat(state.get("k")).contains(new SyncRecord(5, 1000, null));
        state.forget("k");
        assertThat(detector(null).uploadReason(local(1000), new RemoteObject("k", 5, null))).contains("content differs");
        assertThat(state.get("k")).isEmpty();
    }

    @Test
    void unreadableUnrecordedFileIsUploadedSoThatTheUploadReportsTheError() throws Exception {
        ChangeDetector changes = detector(null);
        LocalFile gone = new LocalFile(work.resolve("gone.txt"), "k", 5, 1000);
        assertThat(changes.uploadReason(gone, new RemoteObject("k", 5, HELLO_MD5))).contains("content differs");
        assertThat(state.get("k")).isEmpty();
    }

    @Test
    void withoutRecordingAdoptionsAMatchingObjectIsSkippedButNotRecorded() throws Exception {
        LocalDirectoryActor target = new LocalDirectoryActor();
        target.setRoot(Files.createDirectories(work.resolve("target")).toString());
        target.upload(new Upload("k", file, 5, 1000L, null, Map.of(), null));
        ChangeDetector dryRun = new ChangeDetector(state, target, false);

        assertThat(dryRun.uploadReason(local(1000), new RemoteObject("k", 5, HELLO_MD5))).isEmpty();
        assertThat(dryRun.uploadReason(local(1000), new RemoteObject("k", 5, "0123456789abcdef0123456789abcdef-2"))).isEmpty();
        assertThat(state.get("k")).isEmpty();
        assertThat(dryRun.localChange("k", 5, 1000)).as("so the state still calls it new").contains("new");
    }
}
