package org.autosync.local;

import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which files of a source are mirrored: a regular expression that must match at the start of the
 * file's absolute path (like Python's {@code re.match}, which the original autosync used), not
 * necessarily all of it.
 */
public final class SourceFilter {

    private static final SourceFilter ACCEPT_ALL = new SourceFilter(Pattern.compile(""));

    private final Pattern pattern;

    private SourceFilter(Pattern pattern) {
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException naming the regex and what is wrong with it */
    public static SourceFilter compile(String regex) {
        try {
            return new SourceFilter(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "invalid source filter regex '" + regex + "': " + e.getDescription(), e);
        }
    }

    /** The filter that accepts every file. */
    public static SourceFilter acceptAll() {
        return ACCEPT_ALL;
    }

    public boolean accepts(Path absolutePath) {
        return pattern.matcher(absolutePath.toString()).lookingAt();
    }

    public String regex() {
        return pattern.pattern();
    }

    @Override
    public String toString() {
        return "SourceFilter[" + pattern.pattern() + "]";
    }
}
