package org.autosync.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps absolute local paths to S3 keys and back.
 *
 * <p>A key is the file's normalized absolute path with the source prefix stripped (by whole path
 * segments), with the target prefix in front. Keys never start with {@code /}, never contain
 * {@code //} and never contain {@code .} or {@code ..} segments; {@code /} is always the separator.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyMapper {

    private final String rawSourcePrefix;
    private final String rawTargetPrefix;
    /** Normalized absolute path; the root when no source prefix was given. */
    private final Path sourcePrefix;
    /** Either "" or the target prefix segments joined by '/' followed by a single '/'. */
    private final String targetPrefix;

    /**
     * @param sourcePrefix absolute local path stripped from each file's path; null or empty strips
     *     nothing. A trailing '/' makes no difference.
     * @param targetPrefix key prefix put in front of every key; null or empty for none. Leading,
     *     trailing and repeated '/' are ignored; '.' and '..' segments are rejected.
     * @throws IllegalArgumentException if the source prefix is relative or not a valid path, or the
     *     target prefix has a '.' or '..' segment
     */
    public KeyMapper(String sourcePrefix, String targetPrefix) {
        this.rawSourcePrefix = sourcePrefix == null ? "" : sourcePrefix;
        this.rawTargetPrefix = targetPrefix == null ? "" : targetPrefix;
        this.sourcePrefix = parseSourcePrefix(rawSourcePrefix);
        this.targetPrefix = parseTargetPrefix(rawTargetPrefix);
    }

    private static Path parseSourcePrefix(String raw) {
        if (raw.isEmpty()) {
            return rootPath();
        }
        Path p;
        try {
            p = Path.of(raw);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("source prefix is not a valid path: " + raw, e);
        }
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("source prefix must be an absolute path, got: " + raw);
        }
        return p.normalize();
    }

    private static String parseTargetPrefix(String raw) {
        StringBuilder sb = new StringBuilder();
        for (String segment : raw.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(
                        "target prefix must not contain '.' or '..' segments, got: " + raw);
            }
            sb.append(segment).append('/');
        }
        return sb.toString();
    }

    private static Path rootPath() {
        return Path.of("").toAbsolutePath().getRoot();
    }

    /** The normalized source prefix; the file system root when none was given. */
    public Path sourcePrefix() {
        return sourcePrefix;
    }

    /** The normalized target prefix: "" or segments joined by '/' with one trailing '/'. */
    public String targetPrefix() {
        return targetPrefix;
    }

    /**
     * The key for a file.
     *
     * @throws IllegalArgumentException if the path is relative, is not strictly under the source
     *     prefix, or equals it
     */
    public String keyFor(Path absoluteFile) {
        Path file = requireAbsolute(absoluteFile, "file");
        Path relative = relativeToSourcePrefix(file, "file");
        if (isEmpty(relative)) {
            throw new IllegalArgumentException(
                    "file " + file + " is the source prefix itself, not a file under it");
        }
        return targetPrefix + join(relative);
    }

    /**
     * The key prefix under which all objects of the given source directory live: ends with '/', or
     * is "" when the directory is the source prefix and there is no target prefix (the whole
     * bucket).
     *
     * @throws IllegalArgumentException if the path is relative or not under (or equal to) the
     *     source prefix
     */
    public String scopePrefixFor(Path sourceDir) {
        Path dir = requireAbsolute(sourceDir, "source directory");
        Path relative = relativeToSourcePrefix(dir, "source directory");
        return isEmpty(relative) ? targetPrefix : targetPrefix + join(relative) + "/";
    }

    /**
     * The absolute local path a key maps back to. Empty if the key is not under the target prefix,
     * or could not have come from {@link #keyFor} (empty, '.' or '..' segments, leading '/',
     * characters the file system rejects).
     */
    public Optional<Path> pathFor(String key) {
        if (key == null || !key.startsWith(targetPrefix)) {
            return Optional.empty();
        }
        String rest = key.substring(targetPrefix.length());
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        Path path = sourcePrefix;
        // limit -1 keeps trailing empty segments so that "a/" is rejected rather than read as "a"
        for (String segment : rest.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.empty();
            }
            try {
                path = path.resolve(segment);
            } catch (InvalidPathException e) {
                return Optional.empty();
            }
        }
        return Optional.of(path);
    }

    /**
     * Whether the original autosync, given the same prefixes as strings, would have produced keys
     * starting with '/'. It built keys as {@code targetPrefix + absolutePath[len(sourcePrefix):]}, so
     * that happened when the target prefix started with '/', or, with no target prefix, when the
     * source prefix was missing or lacked a trailing '/'.
     */
    public boolean originalWouldHaveLeadingSlash() {
        if (!rawTargetPrefix.isEmpty()) {
            return rawTargetPrefix.startsWith("/");
        }
        return rawSourcePrefix.isEmpty() || !rawSourcePrefix.endsWith("/");
    }

    /**
     * Turns a command-line path into an absolute, lexically normalized one. A relative {@code arg}
     * is resolved against {@code pwdEnv} (the shell's logical {@code $PWD}, which may go through
     * symlinks) when that is absolute and denotes the JVM's working directory, otherwise against the
     * JVM's working directory. Symlinks are never resolved, so keys follow the path the user typed.
     *
     * @throws IllegalArgumentException if {@code arg} is not a valid path
     */
    public static Path absoluteFromLogicalPwd(String arg, String pwdEnv) {
        Objects.requireNonNull(arg, "arg");
        Path path;
        try {
            path = Path.of(arg);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a valid path: " + arg, e);
        }
        if (path.isAbsolute()) {
            return path.normalize();
        }
        return logicalWorkingDirectory(pwdEnv).resolve(path).normalize();
    }

    private static Path logicalWorkingDirectory(String pwdEnv) {
        Path cwd = Path.of("").toAbsolutePath();
        if (pwdEnv == null || pwdEnv.isEmpty()) {
            return cwd;
        }
        try {
            Path pwd = Path.of(pwdEnv);
            // $PWD can be stale (inherited from a parent that changed directory), so trust it only
            // when it still denotes the directory the JVM runs in.
            if (pwd.isAbsolute() && Files.isSameFile(pwd, cwd)) {
                return pwd;
            }
        } catch (InvalidPathException | IOException | SecurityException e) {
            // fall back to the JVM's working directory
        }
        return cwd;
    }

    private static Path requireAbsolute(Path path, String what) {
        Objects.requireNonNull(path, what);
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(what + " must be an absolute path, got: " + path);
        }
        return path.normalize();
    }

    private Path relativeToSourcePrefix(Path normalized, String what) {
        // Path.startsWith compares whole name elements, so /x/mystuff is not a prefix of /x/mystuff2
        if (!normalized.startsWith(sourcePrefix)) {
            throw new IllegalArgumentException(
                    what + " " + normalized + " is not under the source prefix " + sourcePrefix);
        }
        return sourcePrefix.relativize(normalized);
    }

    private static boolean isEmpty(Path relative) {
        return relative.toString().isEmpty();
    }

    private static String join(Path relative) {
        List<String> names = new ArrayList<>(relative.getNameCount());
        for (Path name : relative) {
            names.add(name.toString());
        }
        return String.join("/", names);
    }

    @Override
    public String toString() {
        return "KeyMapper[sourcePrefix=" + sourcePrefix + ", targetPrefix=" + targetPrefix + "]";
    }
}
