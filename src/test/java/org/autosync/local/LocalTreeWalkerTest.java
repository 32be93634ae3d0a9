package org.autosync.local;

import org.autosync.keys.S3KeyOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class LocalTreeWalkerTest {

    @TempDir
    Path tmp;

    private Path src;

    private Path source() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        return src;
    }

    private Function<Path, String> keyOf() {
        return path -> "pfx/" + src.relativize(path).toString();
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private List<LocalFile> walkAll(LocalTreeWalker walker) {
        List<LocalFile> files = new ArrayList<>();
        walker.forEachRemaining(files::add);
        return files;
    }

    private List<String> keys(LocalTreeWalker walker) {
        return walkAll(walker).stream().map(LocalFile::key).toList();
    }

    private LocalTreeWalker walker(boolean followSymlinks) {
        return new LocalTreeWalker(src, SourceFilter.acceptAll(), keyOf(), followSymlinks);
    }

    @Test
    void descendsDirectoriesInS3KeyOrder() throws IOException {
        Path root = source();
        write(root.resolve("a0"), "x");
        write(root.resolve("a/b"), "x");
        write(root.resolve("a/b-c/d"), "x");
        write(root.resolve("a/b0"), "x");
        write(root.resolve("a-c"), "x");
        write(root.resolve("a.b"), "x");
        write(root.resolve("b"), "x");

        LocalTreeWalker walker = walker(false);

        assertThat(keys(walker)).containsExactly(
                "pfx/a-c", "pfx/a.b", "pfx/a/b", "pfx/a/b-c/d", "pfx/a/b0", "pfx/a0", "pfx/b");
        assertThat(walker.complete()).isTrue();
        assertThat(walker.problems()).isEmpty();
    }

    @Test
    void ordersUnusualNamesByCodePointNotUtf16() throws IOException {
        Path root = source();
        List<String> names = List.of("name with spaces.txt", "+ % # ? &", "caf\u00e9", "\u65e5\u672c",
                "\uD83E\uDD80 crab", "\uE000 private", "~tilde", "Zed", "0");
        for (String name : names) {
            write(root.resolve(name), name);
        }

        List<String> keys = keys(walker(false));

        assertThat(keys).containsExactly(
                "pfx/+ % # ? &", "pfx/0", "pfx/Zed", "pfx/caf\u00e9", "pfx/name with spaces.txt", "pfx/~tilde", "pfx/\u65e5\u672c", "pfx/\uE000 private", "pfx/\uD83E\uDD80 crab");
        assertThat(keys).isSortedAccordingTo(S3KeyOrder.INSTANCE);
    }

    @Test
    void includesHiddenAndEmptyFilesWithSizeAndMtime() throws IOException {
        Path root = source();
        write(root.resolve(".hidden"), "12345");
        Path empty = write(root.resolve(".dir/empty"), "");
        Files.setLastModifiedTime(empty, FileTime.fromMillis(1_600_000_000_000L));

        List<LocalFile> files = walkAll(walker(false));

        assertThat(files).containsExactly(
                new LocalFile(root.resolve(".dir/empty"), "pfx/.dir/empty", 0, 1_600_000_000_000L),
                new LocalFile(root.resolve(".hidden"), "pfx/.hidden", 5,
                        Files.getLastModifiedTime(root.resolve(".hidden")).toMillis()));
    }

    @Test
    void filtersFilesOnTheirAbsolutePathWithLookingAtSemantics() throws IOException {
        Path root = source();
        write(root.resolve("keep/a.txt"), "x");
        write(root.resolve("keep/deep/b.txt"), "x");
        write(root.resolve("keep/c.bin"), "x");
        write(root.resolve("other/d.txt"), "x");

        assertThat(keys(new LocalTreeWalker(root, SourceFilter.compile(".*\\.txt$"), keyOf())))
                .containsExactly("pfx/keep/a.txt", "pfx/keep/deep/b.txt", "pfx/other/d.txt");
        assertThat(keys(new LocalTreeWalker(root, SourceFilter.compile(Pattern.quote(root + "/keep/")), keyOf())))
                .containsExactly("pfx/keep/a.txt", "pfx/keep/c.bin", "pfx/keep/deep/b.txt");
        // re.match semantics: a regex that only matches in the middle of the path accepts nothing
        assertThat(keys(new LocalTreeWalker(root, SourceFilter.compile("\\.txt"), keyOf()))).isEmpty();
    }

    @Test
    void followsSymlinkedFilesKeepingTheLinkPathButTargetSize() throws IOException {
        Path root = source();
        Path target = write(tmp.resolve("outside/target.bin"), "0123456789");
        Path link = Files.createSymbolicLink(root.resolve("link.bin"), target);

        List<LocalFile> files = walkAll(walker(false));

        assertThat(files).containsExactly(new LocalFile(link, "pfx/link.bin", 10,
                Files.getLastModifiedTime(target).toMillis()));
    }

    @Test
    void doesNotFollowSymlinkedDirectoriesByDefault() throws IOException {
        Path root = source();
        write(tmp.resolve("outside/dir/f"), "x");
        write(root.resolve("linked0"), "x");
        Files.createSymbolicLink(root.resolve("linked"), tmp.resolve("outside/dir"));

        LocalTreeWalker walker = walker(false);

        assertThat(keys(walker)).containsExactly("pfx/linked0");
        assertThat(walker.complete()).isTrue();
        assertThat(walker.skipped()).singleElement().asString().contains("linked");
    }

    @Test
    void followsSymlinkedDirectoriesWhenAskedInKeyOrder() throws IOException {
        Path root = source();
        write(tmp.resolve("outside/dir/f"), "x");
        write(root.resolve("linked0"), "x");
        write(root.resolve("linked-a"), "x");
        Files.createSymbolicLink(root.resolve("linked"), tmp.resolve("outside/dir"));

        LocalTreeWalker walker = walker(true);
        List<LocalFile> files = walkAll(walker);

        assertThat(files).extracting(LocalFile::key).containsExactly("pfx/linked-a", "pfx/linked/f", "pfx/linked0");
        assertThat(files.get(1).path()).isEqualTo(root.resolve("linked/f"));
        assertThat(walker.complete()).isTrue();
    }

    @Test
    void guardsAgainstSymlinkLoopsWhenFollowing() throws IOException {
        Path root = source();
        write(root.resolve("top"), "x");
        write(root.resolve("sub/inner"), "x");
        Files.createSymbolicLink(root.resolve("sub/loop"), root);
        Files.createSymbolicLink(root.resolve("sub/self"), root.resolve("sub"));

        LocalTreeWalker walker = walker(true);

        assertThat(keys(walker)).containsExactly("pfx/sub/inner", "pfx/top");
        assertThat(walker.complete()).isTrue();
        assertThat(walker.skipped()).hasSize(2).allMatch(note -> note.contains("loop"));
    }

    @Test
    void recordsADanglingSymlinkAsAProblemAndKeepsWalking() throws IOException {
        Path root = source();
        write(root.resolve("a"), "x");
        Files.createSymbolicLink(root.resolve("b-dangling"), tmp.resolve("nowhere"));
        write(root.resolve("c/d"), "x");

        LocalTreeWalker walker = walker(false);
        assertThat(walker.complete()).as("not complete before the walk ran").isFalse();

        assertThat(keys(walker)).containsExactly("pfx/a", "pfx/c/d");
        assertThat(walker.complete()).isFalse();
        assertThat(walker.problems()).singleElement().asString()
                .contains("dangling symlink").contains("b-dangling");
    }

    @Test
    void recordsASymlinkToItselfAsAProblem() throws IOException {
        Path root = source();
        Files.createSymbolicLink(root.resolve("self"), root.resolve("self"));

        LocalTreeWalker walker = walker(false);

        assertThat(keys(walker)).isEmpty();
        assertThat(walker.complete()).isFalse();
        assertThat(walker.problems()).singleElement().asString().contains("self");
    }

    @Test
    void ignoresABrokenSymlinkTheFilterRejects() throws IOException {
        Path root = source();
        write(root.resolve("a.txt"), "x");
        Files.createSymbolicLink(root.resolve("stale.lnk"), tmp.resolve("nowhere"));

        LocalTreeWalker walker = new LocalTreeWalker(root, SourceFilter.compile(".*\\.txt$"), keyOf());

        assertThat(keys(walker)).containsExactly("pfx/a.txt");
        assertThat(walker.complete()).isTrue();
    }

    @Test
    void recordsAnUnreadableSubdirectoryAsAProblem() throws IOException {
        Path root = source();
        write(root.resolve("a"), "x");
        Path locked = write(root.resolve("locked/secret"), "x").getParent();
        write(root.resolve("z"), "x");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(locked), "running as root: permissions do not block reading");

            LocalTreeWalker walker = walker(false);

            assertThat(keys(walker)).containsExactly("pfx/a", "pfx/z");
            assertThat(walker.complete()).isFalse();
            assertThat(walker.problems()).singleElement().asString().contains("locked");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void directoryRemovedDuringTheWalkIsAConcurrentDeleteNotAProblem() throws IOException {
        Path root = source();
        write(root.resolve("a.txt"), "x");
        write(root.resolve("d/inner.txt"), "x");
        write(root.resolve("z.txt"), "x");
        LocalTreeWalker walker = walker(false);
        assertThat(walker.next().key()).isEqualTo("pfx/a.txt");

        Files.delete(root.resolve("d/inner.txt"));
        Files.delete(root.resolve("d"));

        assertThat(keys(walker)).containsExactly("pfx/z.txt");
        assertThat(walker.problems()).isEmpty();
        assertThat(walker.vanished()).containsExactly(root.resolve("d").toString());
        assertThat(walker.complete()).as("deletes may go: the root is still there").isTrue();
    }

    @Test
    void namesThatAreNotValidUtf8AreSetAsideNotWalkedAndNotAProblem() throws Exception {
        Path root = source();
        write(root.resolve("a.txt"), "x");
        write(root.resolve("z.txt"), "x");
        // two names that differ only in bytes that are not UTF-8: both would decode to the same key
        Process touch = new ProcessBuilder("sh", "-c", "cd \"$0\" && touch \"$(printf 'b\\377')\" \"$(printf 'b\\376')\"",
                root.toString()).inheritIO().start();
        assertThat(touch.waitFor()).isZero();

        LocalTreeWalker walker = walker(false);

        assertThat(keys(walker)).containsExactly("pfx/a.txt", "pfx/z.txt");
        assertThat(walker.unmappable()).hasSize(2);
        assertThat(walker.problems()).isEmpty();
        assertThat(walker.complete()).isTrue();
    }

    @Test
    void skipsSpecialFilesSilently() throws IOException {
        Path root = source();
        write(root.resolve("a"), "x");
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(root.resolve("sock")));

            LocalTreeWalker walker = walker(false);

            assertThat(keys(walker)).containsExactly("pfx/a");
            assertThat(walker.complete()).isTrue();
        }
    }

    @Test
    void yieldsNothingForAnEmptySourceAndIsComplete() throws IOException {
        source();
        LocalTreeWalker walker = walker(false);

        assertThat(walker.hasNext()).isFalse();
        assertThat(walker.complete()).isTrue();
    }

    @Test
    void failsImmediatelyWhenTheRootIsMissing() {
        Path missing = tmp.resolve("missing");

        assertThatThrownBy(() -> new LocalTreeWalker(missing, SourceFilter.acceptAll(), Path::toString))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void failsImmediatelyWhenTheRootIsAFile() throws IOException {
        Path file = write(tmp.resolve("file"), "x");

        assertThatThrownBy(() -> new LocalTreeWalker(file, SourceFilter.acceptAll(), Path::toString))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void walksARelativeRootAsAnAbsolutePath() throws IOException {
        Path root = source();
        write(root.resolve("a"), "x");
        Path relative = Path.of("").toAbsolutePath().relativize(root);

        LocalTreeWalker walker = new LocalTreeWalker(relative, SourceFilter.acceptAll(), keyOf());

        assertThat(walker.root()).isEqualTo(root);
        assertThat(walkAll(walker)).extracting(LocalFile::path).containsExactly(root.resolve("a"));
    }
}
