package org.autosync.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class KeyMapperProperties {

    @Property(tries = 500)
    void keysAreCleanStartWithTheScopeAndMapBack(
            @ForAll("sourcePrefixes") String sourcePrefix,
            @ForAll("targetPrefixes") String targetPrefix,
            @ForAll("relativePaths") List<String> dirSegments,
            @ForAll("relativePaths") List<String> fileSegments) {
        KeyMapper mapper = new KeyMapper(sourcePrefix, targetPrefix);
        Path sourceDir = resolve(mapper.sourcePrefix(), dirSegments);
        Path file = resolve(sourceDir, fileSegments);

        String key = mapper.keyFor(file);
        String scope = mapper.scopePrefixFor(sourceDir);

        assertThat(key).doesNotStartWith("/").doesNotContain("//").doesNotEndWith("/");
        assertThat(key.split("/", -1)).doesNotContain(".", "..", "");
        assertThat(scope).satisfiesAnyOf(s -> assertThat(s).isEmpty(), s -> assertThat(s).endsWith("/"));
        assertThat(scope).doesNotStartWith("/").doesNotContain("//");
        assertThat(key).startsWith(scope);
        assertThat(mapper.pathFor(key)).contains(file);
    }

    @Property(tries = 200)
    void keyIsTargetPrefixPlusRelativePath(
            @ForAll("targetPrefixes") String targetPrefix,
            @ForAll("relativePaths") List<String> fileSegments) {
        KeyMapper mapper = new KeyMapper("/src/", targetPrefix);

        String key = mapper.keyFor(resolve(Path.of("/src"), fileSegments));

        assertThat(key).isEqualTo(mapper.targetPrefix() + String.join("/", fileSegments));
    }

    private static Path resolve(Path base, List<String> segments) {
        Path p = base;
        for (String s : segments) {
            p = p.resolve(s);
        }
        return p;
    }

    @Provide
    Arbitrary<String> sourcePrefixes() {
        Arbitrary<String> path = segments().list().ofMinSize(0).ofMaxSize(4).map(s -> String.join("/", s));
        return Combinators.combine(path, Arbitraries.of("", "/"))
                .as((p, trailing) -> "/" + p + (p.isEmpty() ? "" : trailing))
                .injectNull(0.05)
                .edgeCases(c -> c.add(""));
    }

    @Provide
    Arbitrary<String> targetPrefixes() {
        Arbitrary<String> path = segments().list().ofMinSize(0).ofMaxSize(4).map(s -> String.join("/", s));
        return Combinators.combine(Arbitraries.of("", "/", "//"), path, Arbitraries.of("", "/", "//"))
                .as((lead, p, trail) -> lead + p + trail)
                .injectNull(0.05);
    }

    /** Non-empty relative paths: at least one segment, never '.' or '..'. */
    @Provide
    Arbitrary<List<String>> relativePaths() {
        return segments().list().ofMinSize(1).ofMaxSize(6);
    }

    private static Arbitrary<String> segments() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between('a', 'z')),
                Tuple.of(2, Arbitraries.of((int) ' ', (int) '.', (int) '-', (int) '+',
                        (int) '%', (int) '#', (int) '?', (int) '&', (int) '\\', (int) '~')),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                Tuple.of(2, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return codePoint.list().ofMinSize(1).ofMaxSize(8)
                .map(cps -> {
                    StringBuilder sb = new StringBuilder();
                    cps.forEach(sb::appendCodePoint);
                    return sb.toString();
                })
                .filter(s -> !s.equals(".") && !s.equals(".."))
                .edgeCases(c -> c.add("..."));
    }
}
