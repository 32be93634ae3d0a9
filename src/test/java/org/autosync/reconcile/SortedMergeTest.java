package org.autosync.reconcile;

import org.autosync.local.LocalFile;
import org.autosync.reconcile.UnsortedListingException.Side;
import org.autosync.targets.RemoteObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SortedMergeTest {

    private static Iterator<LocalFile> local(String... keys) {
        return Stream.of(keys).map(key -> new LocalFile(Path.of("/src", key), key, 1, 0)).iterator();
    }

    private static Iterator<RemoteObject> remote(String... keys) {
        return Stream.of(keys).map(key -> new RemoteObject(key, 1, "etag")).iterator();
    }

    private static List<String> merge(Iterator<LocalFile> local, Iterator<RemoteObject> remote) {
        RecordingListener listener = new RecordingListener();
        SortedMerge.merge(local, remote, listener);
        return listener.events;
    }

    @Test
    void reportsEachKeyOnceInKeyOrder() {
        assertThat(merge(local("a-c", "a/b", "b", "d"), remote("a/b", "a0", "c", "d")))
                .containsExactly("local a-c", "both a/b", "remote a0", "local b", "remote c", "both d");
    }

    @Test
    void reportsTheFirstLeftoverLocalElement() {
        assertThat(merge(local("a", "b", "c"), remote("a")))
                .containsExactly("both a", "local b", "local c");
        assertThat(merge(local("b", "c"), remote("a")))
                .containsExactly("remote a", "local b", "local c");
    }

    @Test
    void reportsTheFirstLeftoverRemoteElement() {
        assertThat(merge(local("a"), remote("a", "b", "c")))
                .containsExactly("both a", "remote b", "remote c");
        assertThat(merge(local("a"), remote("b", "c")))
                .containsExactly("local a", "remote b", "remote c");
    }

    @Test
    void handlesEmptySides() {
        assertThat(merge(local(), remote())).isEmpty();
        assertThat(merge(local("a", "b"), remote())).containsExactly("local a", "local b");
        assertThat(merge(local(), remote("a", "b"))).containsExactly("remote a", "remote b");
    }

    @Test
    void ordersByCodePointNotUtf16() {
        String privateUse = "\uE000";
        String crab = "\uD83E\uDD80";

        assertThat(merge(local(privateUse, crab), remote(crab)))
                .containsExactly("local " + privateUse, "both " + crab);
    }

    @Test
    void detectsAnUnsortedLocalSideBeforeReportingTheOffendingElement() {
        RecordingListener listener = new RecordingListener();

        UnsortedListingException e = catchThrowableOfType(UnsortedListingException.class,
                () -> SortedMerge.merge(local("a", "c", "b"), remote("c", "d"), listener));

        assertThat(e.side()).isEqualTo(Side.LOCAL);
        assertThat(e.previousKey()).isEqualTo("c");
        assertThat(e.offendingKey()).isEqualTo("b");
        assertThat(e).hasMessageContaining("LOCAL").hasMessageContaining("'b'").hasMessageContaining("'c'");
        assertThat(listener.events).containsExactly("local a", "both c").doesNotContain("local b");
    }

    @Test
    void detectsAnUnsortedRemoteSideBeforeReportingTheOffendingElement() {
        RecordingListener listener = new RecordingListener();

        UnsortedListingException e = catchThrowableOfType(UnsortedListingException.class,
                () -> SortedMerge.merge(local(), remote("a0", "a/b"), listener));

        assertThat(e.side()).isEqualTo(Side.REMOTE);
        assertThat(e.previousKey()).isEqualTo("a0");
        assertThat(e.offendingKey()).isEqualTo("a/b");
        assertThat(listener.events).containsExactly("remote a0");
    }

    @Test
    void detectsUtf16OrderedRemoteListingAsUnsorted() {
        assertThatThrownBy(() -> merge(local(), remote("\uD83E\uDD80", "\uE000")))
                .isInstanceOfSatisfying(UnsortedListingException.class,
                        e -> assertThat(e.side()).isEqualTo(Side.REMOTE));
    }

    @Test
    void reportsProvisionalOutcomesBeforeALateMisorderIsDetected() {
        String privateUse = "\uE000";
        String crab = "\uD83E\uDD80";
        RecordingListener listener = new RecordingListener();

        assertThatThrownBy(() -> SortedMerge.merge(local(privateUse, crab), remote(crab, privateUse), listener))
                .isInstanceOf(UnsortedListingException.class);
        // wrong (privateUse exists remotely) and only revealed as such by the exception
        assertThat(listener.events).containsExactly("local " + privateUse, "both " + crab);
    }

    @Test
    void detectsADuplicateKeyAsUnsorted() {
        assertThatThrownBy(() -> merge(local("a", "a"), remote()))
                .isInstanceOfSatisfying(UnsortedListingException.class,
                        e -> assertThat(e.side()).isEqualTo(Side.LOCAL))
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> merge(local("a"), remote("a", "a")))
                .isInstanceOfSatisfying(UnsortedListingException.class,
                        e -> assertThat(e.side()).isEqualTo(Side.REMOTE));
    }

    @Test
    void sortedCopySortsInS3OrderAndKeepsTheLastOfDuplicateKeys() {
        Iterator<RemoteObject> listing = List.of(
                new RemoteObject("a0", 1, "x"),
                new RemoteObject("\uD83E\uDD80", 2, "x"),
                new RemoteObject("a/b", 3, "first"),
                new RemoteObject("\uE000", 4, "x"),
                new RemoteObject("a/b", 5, "last")).iterator();

        assertThat(SortedMerge.sortedCopy(listing)).toIterable().containsExactly(
                new RemoteObject("a/b", 5, "last"),
                new RemoteObject("a0", 1, "x"),
                new RemoteObject("\uE000", 4, "x"),
                new RemoteObject("\uD83E\uDD80", 2, "x"));
    }
}
