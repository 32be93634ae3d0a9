package org.autosync.local;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * File names that belong to a write in progress (editors' lock files, downloads, atomic-rename temp
 * files): globs matched against the file <em>name</em> only, never the directory. Files with such names
 * are neither uploaded nor, when an object has such a name, deleted; {@link SourceFilter#excluding}
 * applies the rule wherever the source filter applies (file route, reconciliation walk, delete check).
 */
public final class TempFileNames {

    /** What {@code --exclude_temp} defaults to. */
    public static final String DEFAULT_GLOBS = "*.part,*.tmp,.~lock*";

    private static final TempFileNames NONE = new TempFileNames(List.of(), List.of());

    private final List<String> globs;
    private final List<PathMatcher> matchers;

    private TempFileNames(List<String> globs, List<PathMatcher> matchers) {
        this.globs = globs;
        this.matchers = matchers;
    }

    /**
     * @param commaSeparatedGlobs e.g. {@code *.part,*.tmp}; empty or blank means none
     * @throws IllegalArgumentException naming the glob and what is wrong with it
     */
    public static TempFileNames parse(String commaSeparatedGlobs) {
        List<String> globs = new ArrayList<>();
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : commaSeparatedGlobs.split(",")) {
            String g = glob.trim();
            if (g.isEmpty()) {
                continue;
            }
            if (g.contains("/")) {
                throw new IllegalArgumentException("invalid temp-file glob '" + g + "': it matches file names, which hold no '/'");
            }
            try {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid temp-file glob '" + g + "': " + e.getDescription(), e);
            }
            globs.add(g);
        }
        return globs.isEmpty() ? NONE : new TempFileNames(List.copyOf(globs), List.copyOf(matchers));
    }

    public static TempFileNames none() {
        return NONE;
    }

    public static TempFileNames defaults() {
        return parse(DEFAULT_GLOBS);
    }

    /** Whether the path's last element matches one of the globs. */
    public boolean matches(Path path) {
        if (matchers.isEmpty()) {
            return false;
        }
        Path name = path.getFileName();
        if (name == null) {
            return false;
        }
        for (PathMatcher m : matchers) {
            if (m.matches(name)) {
                return true;
            }
        }
        return false;
    }

    public List<String> globs() {
        return globs;
    }

    @Override
    public String toString() {
        return "TempFileNames" + globs;
    }
}
