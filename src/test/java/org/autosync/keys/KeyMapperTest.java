package org.autosync.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyMapperTest {

    /** The original autosync README's tree (docs/command-line.md), seen from cwd /home/adeprince. */
    private static final Path MYSTUFF = Path.of("/home/adeprince/mystuff");
    private static final List<Path> TREE = Stream.of("1", "a/2", "a/b/3", "c/4")
            .map(MYSTUFF::resolve)
            .toList();

    private static List<String> keys(KeyMapper mapper) {
        return TREE.stream().map(mapper::keyFor).toList();
    }

    @Test
    void withoutSourcePrefixKeysAreTheAbsolutePathWithoutLeadingSlash() {
        KeyMapper mapper = new KeyMapper(null, null);

        assertThat(keys(mapper)).containsExactly(
                "home/adeprince/mystuff/1",
                "home/adeprince/mystuff/a/2",
                "home/adeprince/mystuff/a/b/3",
                "home/adeprince/mystuff/c/4");
        assertThat(mapper.scopePrefixFor(MYSTUFF)).isEqualTo("home/adeprince/mystuff/");
        assertThat(mapper.originalWouldHaveLeadingSlash()).isTrue();
        assertThat(new KeyMapper("", "").keyFor(TREE.get(0))).isEqualTo("home/adeprince/mystuff/1");
    }

    @Test
    void sourcePrefixHomeStripsHome() {
        KeyMapper mapper = new KeyMapper("/home/", null);

        assertThat(keys(mapper)).containsExactly(
                "adeprince/mystuff/1",
                "adeprince/mystuff/a/2",
                "adeprince/mystuff/a/b/3",
                "adeprince/mystuff/c/4");
        assertThat(mapper.scopePrefixFor(MYSTUFF)).isEqualTo("adeprince/mystuff/");
        assertThat(mapper.originalWouldHaveLeadingSlash()).isFalse();
    }

    @Test
    void sourcePrefixWithTrailingSlashGivesBareRelativeKeys() {
        KeyMapper mapper = new KeyMapper("/home/adeprince/mystuff/", null);

        assertThat(keys(mapper)).containsExactly("1", "a/2", "a/b/3", "c/4");
        assertThat(mapper.scopePrefixFor(MYSTUFF)).isEmpty();
        assertThat(mapper.originalWouldHaveLeadingSlash()).isFalse();
    }

    @Test
    void sourcePrefixWithoutTrailingSlashGivesTheSameKeysWithoutLeadingSlash() {
        KeyMapper mapper = new KeyMapper("/home/adeprince/mystuff", null);

        assertThat(keys(mapper)).containsExactly("1", "a/2", "a/b/3", "c/4");
        assertThat(mapper.scopePrefixFor(MYSTUFF)).isEmpty();
        assertThat(mapper.originalWouldHaveLeadingSlash()).isTrue();
    }

    @Test
    void targetPrefixIsJoinedWithExactlyOneSlash() {
        KeyMapper mapper = new KeyMapper("/home/adeprince/mystuff/", "/foo/bar/");

        assertThat(keys(mapper)).containsExactly("foo/bar/1", "foo/bar/a/2", "foo/bar/a/b/3", "foo/bar/c/4");
        assertThat(mapper.scopePrefixFor(MYSTUFF)).isEqualTo("foo/bar/");
        assertThat(mapper.originalWouldHaveLeadingSlash()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo/bar", "/foo/bar", "foo/bar/", "/foo/bar/", "//foo//bar//"})
    void targetPrefixSlashesDoNotMatter(String targetPrefix) {
        KeyMapper mapper = new KeyMapper("/home/adeprince/mystuff", targetPrefix);

        assertThat(mapper.keyFor(TREE.get(0))).isEqualTo("foo/bar/1");
        assertThat(mapper.targetPrefix()).isEqualTo("foo/bar/");
    }

    @Test
    void readmeVarDataExampleKeysFilesUnderFiles() {
        KeyMapper mapper = new KeyMapper("/var/data", null);

        assertThat(mapper.keyFor(Path.of("/var/data/files/report.txt"))).isEqualTo("files/report.txt");
        assertThat(mapper.keyFor(Path.of("/var/data/files/x/y"))).isEqualTo("files/x/y");
        assertThat(mapper.scopePrefixFor(Path.of("/var/data/files"))).isEqualTo("files/");
        assertThat(mapper.pathFor("files/x/y")).contains(Path.of("/var/data/files/x/y"));
    }

    @Test
    void stripsSourcePrefixByWholeSegments() {
        KeyMapper mapper = new KeyMapper("/x/mystuff", null);

        assertThatThrownBy(() -> mapper.keyFor(Path.of("/x/mystuff2/f")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not under the source prefix");
        assertThatThrownBy(() -> mapper.scopePrefixFor(Path.of("/x/mystuff2")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(mapper.keyFor(Path.of("/x/mystuff/f"))).isEqualTo("f");
    }

    @Test
    void sourcePrefixWithAndWithoutTrailingSlashBehaveTheSame() {
        KeyMapper withSlash = new KeyMapper("/x/mystuff/", "t");
        KeyMapper withoutSlash = new KeyMapper("/x/mystuff", "t");
        Path file = Path.of("/x/mystuff/a/b");

        assertThat(withSlash.keyFor(file)).isEqualTo(withoutSlash.keyFor(file)).isEqualTo("t/a/b");
        assertThat(withSlash.scopePrefixFor(Path.of("/x/mystuff/a")))
                .isEqualTo(withoutSlash.scopePrefixFor(Path.of("/x/mystuff/a")))
                .isEqualTo("t/a/");
    }

    @Test
    void fileNotUnderSourcePrefixIsRejectedWithClearMessage() {
        KeyMapper mapper = new KeyMapper("/var/data", null);

        assertThatThrownBy(() -> mapper.keyFor(Path.of("/etc/passwd")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/etc/passwd")
                .hasMessageContaining("not under the source prefix /var/data");
    }

    @Test
    void fileEqualToSourcePrefixIsRejected() {
        KeyMapper mapper = new KeyMapper("/var/data/", null);

        assertThatThrownBy(() -> mapper.keyFor(Path.of("/var/data")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source prefix itself");
    }

    @Test
    void relativePathsAreRejected() {
        KeyMapper mapper = new KeyMapper(null, null);

        assertThatThrownBy(() -> mapper.keyFor(Path.of("mystuff/1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> mapper.scopePrefixFor(Path.of("mystuff")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> new KeyMapper("home/adeprince", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source prefix must be an absolute path");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "foo/./bar", "foo/../bar", "/../", "a/.."})
    void targetPrefixWithDotSegmentsIsRejected(String targetPrefix) {
        assertThatThrownBy(() -> new KeyMapper(null, targetPrefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target prefix must not contain '.' or '..' segments");
    }

    @Test
    void dotsInsideNamesAreFineInTargetPrefix() {
        KeyMapper mapper = new KeyMapper("/s", "v1.2/..hidden/.x/y..");

        assertThat(mapper.keyFor(Path.of("/s/f"))).isEqualTo("v1.2/..hidden/.x/y../f");
    }

    @Test
    void dotSegmentsInFilePathsAreNormalizedAway() {
        KeyMapper mapper = new KeyMapper("/home/adeprince/mystuff", null);

        assertThat(mapper.keyFor(Path.of("/home/adeprince/mystuff/a/./b/../2"))).isEqualTo("a/2");
        assertThatThrownBy(() -> mapper.keyFor(Path.of("/home/adeprince/mystuff/../other/f")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "with space.txt",
        "plus+percent%hash#question?amp&.txt",
        "caf\u00e9/na\u00efve/\u65e5\u672c\u8a9e.txt",
        "emoji \uD83E\uDD80 crab/\uD83D\uDE00.png",
        "private\uE000use/\uFFFD",
        "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/deep.txt",
        "..hidden/.dotfile/trailing.",
        "back\\slash and 'quotes' \"double\""
    })
    void awkwardNamesKeepTheirCharacters(String relative) {
        KeyMapper mapper = new KeyMapper("/src/", "dest");
        Path file = Path.of("/src").resolve(relative);

        String key = mapper.keyFor(file);

        assertThat(key).isEqualTo("dest/" + relative);
        assertThat(mapper.pathFor(key)).contains(file);
    }

    @Test
    void pathForMapsKeysBackWithoutSourcePrefix() {
        KeyMapper mapper = new KeyMapper(null, null);

        assertThat(mapper.pathFor("home/a/x")).contains(Path.of("/home/a/x"));
    }

    @Test
    void pathForIsEmptyForKeysOutsideTheTargetPrefix() {
        KeyMapper mapper = new KeyMapper("/home/adeprince/mystuff/", "foo/bar");

        assertThat(mapper.pathFor("foo/bar/a/2")).contains(Path.of("/home/adeprince/mystuff/a/2"));
        assertThat(mapper.pathFor("foo/baz/a/2")).isEmpty();
        assertThat(mapper.pathFor("foo/barn/2")).isEmpty();
        assertThat(mapper.pathFor("foo/bar/")).isEmpty();
        assertThat(mapper.pathFor("foo/bar")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/1", "a//b", "a/", "./a", "a/../b", "a/.", "nul\u0000char"})
    void pathForIsEmptyForKeysKeyForCouldNotProduce(String key) {
        KeyMapper mapper = new KeyMapper("/src", null);

        assertThat(mapper.pathFor(key)).isEmpty();
    }

    @Test
    void scopeOfSourcePrefixItselfIsTargetPrefixOrWholeBucket() {
        assertThat(new KeyMapper("/var/data", null).scopePrefixFor(Path.of("/var/data/"))).isEmpty();
        assertThat(new KeyMapper("/var/data", "/t/").scopePrefixFor(Path.of("/var/data"))).isEqualTo("t/");
        assertThat(new KeyMapper(null, null).scopePrefixFor(Path.of("/"))).isEmpty();
    }

    @Test
    void rootSourcePrefixIsLikeNoSourcePrefixButOriginalHadNoLeadingSlash() {
        KeyMapper mapper = new KeyMapper("/", null);

        assertThat(mapper.keyFor(TREE.get(0))).isEqualTo("home/adeprince/mystuff/1");
        assertThat(mapper.originalWouldHaveLeadingSlash()).isFalse();
    }

    @Test
    void originalLeadingSlashDependsOnTargetPrefixWhenThereIsOne() {
        assertThat(new KeyMapper("/x", "foo/").originalWouldHaveLeadingSlash()).isFalse();
        assertThat(new KeyMapper("/x/", "/foo").originalWouldHaveLeadingSlash()).isTrue();
    }

    @Test
    void absoluteArgumentIsOnlyNormalized() {
        assertThat(KeyMapper.absoluteFromLogicalPwd("/var/./data/../data/files/", "/elsewhere"))
                .isEqualTo(Path.of("/var/data/files"));
    }

    @Test
    void relativeArgumentKeepsTheLogicalPwdThroughASymlink(@TempDir Path tmp) throws IOException {
        Path cwd = Path.of("").toAbsolutePath();
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-cwd"), cwd);
        try {
            Path resolved = KeyMapper.absoluteFromLogicalPwd("mystuff/./a/../1", link.toString());

            assertThat(resolved).isEqualTo(link.resolve("mystuff/1"));
            assertThat(resolved.startsWith(link)).isTrue();
        } finally {
            Files.delete(link); // so that @TempDir cleanup never walks into the working directory
        }
    }

    @Test
    void dotDotIsResolvedLexicallyAgainstTheLogicalPwd(@TempDir Path tmp) throws IOException {
        Path cwd = Path.of("").toAbsolutePath();
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-cwd"), cwd);
        try {
            assertThat(KeyMapper.absoluteFromLogicalPwd("../sibling", link.toString()))
                    .isEqualTo(tmp.resolve("sibling"));
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void stalePwdFallsBackToTheJvmWorkingDirectory(@TempDir Path tmp) {
        Path cwd = Path.of("").toAbsolutePath();

        assertThat(KeyMapper.absoluteFromLogicalPwd("f", tmp.toString())).isEqualTo(cwd.resolve("f"));
        assertThat(KeyMapper.absoluteFromLogicalPwd("f", "/no/such/dir")).isEqualTo(cwd.resolve("f"));
        assertThat(KeyMapper.absoluteFromLogicalPwd("f", "relative/pwd")).isEqualTo(cwd.resolve("f"));
        assertThat(KeyMapper.absoluteFromLogicalPwd("f", null)).isEqualTo(cwd.resolve("f"));
        assertThat(KeyMapper.absoluteFromLogicalPwd("f", "")).isEqualTo(cwd.resolve("f"));
    }
}
