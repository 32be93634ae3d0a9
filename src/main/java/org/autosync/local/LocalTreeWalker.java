package org.autosync.local;

import org.autosync.keys.S3KeyOrder;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Walks one source directory and streams its files in S3 key order, depth first and lazily: only the
 * sorted entries of the directories on the current descent path are held in memory.
 *
 * <p>The order is right for keys of the form {@code prefix + relative path with '/'}: within a
 * directory a subdirectory sorts as {@code name + "/"}, so file {@code a-c} comes before the contents of
 * directory {@code a}, which come before file {@code a0}.
 *
 * <p>Trouble below the root (unreadable directory, failed stat, dangling symlink) does not stop the walk:
 * it is recorded in {@link #problems()} and makes {@link #complete()} false, and the caller must then not
 * delete anything on the strength of this walk. Not thread-safe; iterate once.
 */
public final class LocalTreeWalker implements Iterator<LocalFile> {

    /** What the JVM decodes a file name's invalid UTF-8 bytes to. */
    private static final char UNDECODABLE = '\uFFFD';

    private static final Comparator<Entry> S3_ORDER =
            Comparator.comparing(Entry::sortName, S3KeyOrder.INSTANCE);

    private final Path root;
    private final SourceFilter filter;
    private final Function<Path, String> keyOf;
    private final boolean followSymlinks;

    private final Deque<DirectoryFrame> descent = new ArrayDeque<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final List<String> gone = new ArrayList<>();
    private final List<Path> unmappable = new ArrayList<>();
    private LocalFile next;
    private boolean exhausted;

    /**
     * @param root           the source directory (made absolute and normalized; a symlink as root is followed)
     * @param filter         which files to yield, matched against their absolute path
     * @param keyOf          the target key of an absolute file path
     * @param followSymlinks whether to descend into symlinked directories (symlinked files are always followed)
     * @throws SourceUnavailableException if the root is missing, not a directory or cannot be listed
     */
    public LocalTreeWalker(Path root, SourceFilter filter, Function<Path, String> keyOf, boolean followSymlinks) {
        this.root = root.toAbsolutePath().normalize();
        this.filter = filter;
        this.keyOf = keyOf;
        this.followSymlinks = followSymlinks;
        openRoot();
    }

    /** A walker that does not follow symlinked directories. */
    public LocalTreeWalker(Path root, SourceFilter filter, Function<Path, String> keyOf) {
        this(root, filter, keyOf, false);
    }

    public Path root() {
        return root;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !exhausted) {
            next = findNext();
            exhausted = next == null;
        }
        return next != null;
    }

    @Override
    public LocalFile next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        LocalFile file = next;
        next = null;
        return file;
    }

    /**
     * True only once the walk has run to its end without any problem. Deletions on the target are safe
     * only then: a missed directory would otherwise look like deleted files.
     */
    public boolean complete() {
        return exhausted && problems.isEmpty();
    }

    /** What went wrong so far, one readable line each; any entry makes {@link #complete()} false. */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /**
     * Files and directories whose names are not valid UTF-8 (or hold U+FFFD): they have no faithful key, two of them
     * could map to the same one, so they are not walked; not errors, but the user must rename them.
     */
    public List<Path> unmappable() {
        return Collections.unmodifiableList(unmappable);
    }

    /** Directories removed while the walk went on (a concurrent delete); not errors. */
    public List<String> vanished() {
        return Collections.unmodifiableList(gone);
    }

    /** Directories deliberately not descended into (symlinks not followed, symlink loops); not errors. */
    public List<String> skipped() {
        return Collections.unmodifiableList(skipped);
    }

    private void openRoot() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(root, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new SourceUnavailableException(root, "source directory does not exist: " + root, e);
        } catch (IOException e) {
            throw new SourceUnavailableException(root, "cannot read source directory " + root + ": " + describe(e), e);
        }
        if (!attributes.isDirectory()) {
            throw new SourceUnavailableException(root, "source is not a directory: " + root, null);
        }
        try {
            Path realRoot = followSymlinks ? root.toRealPath() : null;
            descent.push(new DirectoryFrame(realRoot, readSortedEntries(root).iterator()));
        } catch (IOException e) {
            throw new SourceUnavailableException(root, "cannot list source directory " + root + ": " + describe(e), e);
        }
    }

    private LocalFile findNext() {
        while (!descent.isEmpty()) {
            DirectoryFrame current = descent.peek();
            if (!current.entries().hasNext()) {
                descent.pop();
                continue;
            }
            Entry entry = current.entries().next();
            if (entry.path().toString().indexOf(UNDECODABLE) >= 0) {
                unmappable.add(entry.path());
            } else if (entry.directory()) {
                descend(entry, current);
            } else {
                return new LocalFile(entry.path(), keyOf.apply(entry.path()), entry.size(), entry.mtimeMillis());
            }
        }
        return null;
    }

    private void descend(Entry directory, DirectoryFrame parent) {
        Path realPath = null;
        if (followSymlinks) {
            try {
                // a plain subdirectory's real path follows from its parent's without another syscall
                realPath = directory.symlink()
                        ? directory.path().toRealPath()
                        : parent.realPath().resolve(directory.path().getFileName());
            } catch (IOException e) {
                problems.add("cannot resolve directory " + directory.path() + ": " + describe(e));
                return;
            }
            if (isOnDescentPath(realPath)) {
                skipped.add("symlink loop, not descending into " + directory.path() + " (it is " + realPath + ")");
                return;
            }
        }
        try {
            descent.push(new DirectoryFrame(realPath, readSortedEntries(directory.path()).iterator()));
        } catch (NoSuchFileException e) {
            // removed since its parent was read, while the root is still there: a concurrent delete, not a gap in
            // the walk (an unmounted or removed root is found before the pass deletes anything)
            gone.add(directory.path().toString());
        } catch (IOException e) {
            problems.add("cannot list directory " + directory.path() + ": " + describe(e));
        }
    }

    private boolean isOnDescentPath(Path realPath) {
        for (DirectoryFrame frame : descent) {
            if (frame.realPath().equals(realPath)) {
                return true;
            }
        }
        return false;
    }

    private List<Entry> readSortedEntries(Path directory) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path child : stream) {
                Entry entry = examine(child);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        entries.sort(S3_ORDER);
        return entries;
    }

    /** The entry to keep for a directory child, or null if it is not walked. */
    private Entry examine(Path child) {
        BasicFileAttributes own;
        try {
            own = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null; // removed since the directory was read: it is simply gone
        } catch (IOException e) {
            problems.add("cannot read attributes of " + child + ": " + describe(e));
            return null;
        }
        if (own.isSymbolicLink()) {
            return examineSymlink(child);
        }
        if (own.isDirectory()) {
            return Entry.directory(child, false);
        }
        if (own.isRegularFile()) {
            return acceptedFile(child, own);
        }
        return null; // fifo, socket, device
    }

    private Entry examineSymlink(Path link) {
        BasicFileAttributes target;
        try {
            target = Files.readAttributes(link, BasicFileAttributes.class);
        } catch (IOException e) {
            // A broken link the filter rejects could not have contributed anything unless it was meant to be
            // a followed directory; not counting it keeps a stale excluded link from blocking deletions forever.
            if (followSymlinks || filter.accepts(link)) {
                String what = e instanceof NoSuchFileException ? "dangling symlink " : "cannot follow symlink ";
                problems.add(what + link + targetOf(link) + ": " + describe(e));
            }
            return null;
        }
        if (target.isDirectory()) {
            if (followSymlinks) {
                return Entry.directory(link, true);
            }
            skipped.add("symlinked directory not followed: " + link);
            return null;
        }
        if (target.isRegularFile()) {
            return acceptedFile(link, target);
        }
        return null;
    }

    private Entry acceptedFile(Path file, BasicFileAttributes attributes) {
        if (!filter.accepts(file)) {
            return null;
        }
        return new Entry(file, file.getFileName().toString(), false, false,
                attributes.size(), attributes.lastModifiedTime().toMillis());
    }

    private static String targetOf(Path link) {
        try {
            return " -> " + Files.readSymbolicLink(link);
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private static String describe(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getClass().getSimpleName();
    }

    /** A kept directory child; {@code sortName} is the name, plus {@code '/'} for a directory. */
    private record Entry(Path path, String sortName, boolean directory, boolean symlink, long size, long mtimeMillis) {

        static Entry directory(Path path, boolean symlink) {
            return new Entry(path, path.getFileName().toString() + "/", true, symlink, 0, 0);
        }
    }

    /** A directory being walked; {@code realPath} is only known (non-null) when following symlinks. */
    private record DirectoryFrame(Path realPath, Iterator<Entry> entries) {
    }
}
