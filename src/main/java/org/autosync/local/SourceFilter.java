package org.autosync.local;

import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which files of a source are mirrored: a regular expression that must match at the start of the
 * file's absolute path (like Python's {@code re.match}, which the original autosync used), not
 * necessarily all of it. A filter can also exclude {@link TempFileNames temp-file names}
 * ({@link #excluding}); such files are then treated exactly like files the regex rejects: not uploaded,
 * and their objects never deleted.
 */
public final class SourceFilter {

    private static final SourceFilter ACCEPT_ALL = new SourceFilter(Pattern.compile(""), TempFileNames.none());

    private final Pattern pattern;
    private final TempFileNames tempFiles;

    private SourceFilter(Pattern pattern, TempFileNames tempFiles) {
        this.pattern = pattern;
        this.tempFiles = tempFiles;
    }

    /** @throws IllegalArgumentException naming the regex and what is wrong with it */
    public static SourceFilter compile(String regex) {
        try {
            return new SourceFilter(Pattern.compile(regex), TempFileNames.none());
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "invalid source filter regex '" + regex + "': " + e.getDescription(), e);
        }
    }

    /** The filter that accepts every file. */
    public static SourceFilter acceptAll() {
        return ACCEPT_ALL;
    }

    /** This filter, also rejecting files whose name is one of {@code tempFiles} (instead of any earlier such rule). */
    public SourceFilter excluding(TempFileNames tempFiles) {
        return new SourceFilter(pattern, tempFiles);
    }

    public boolean accepts(Path absolutePath) {
        return !tempFiles.matches(absolutePath) && pattern.matcher(absolutePath.toString()).lookingAt();
    }

    public TempFileNames tempFiles() {
        return tempFiles;
    }

    public String regex() {
        return pattern.pattern();
    }

    @Override
    public String toString() {
        return "SourceFilter[" + pattern.pattern() + (tempFiles.globs().isEmpty() ? "" : ", not " + tempFiles.globs()) + "]";
    }
}
