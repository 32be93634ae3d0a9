package org.autosync.watch;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.autosync.keys.KeyMapper;
import org.autosync.local.LocalFile;
import org.autosync.local.SettleRule;
import org.autosync.local.SourceFilter;
import org.autosync.reconcile.ChangeDetector;
import org.autosync.state.SyncState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a file-system event means for one job (the event to action mapping, free of Camel and of the
 * watcher): a created or modified file is checked once it has settled and uploaded if the job's one upload
 * rule ({@link ChangeDetector#localChange}) says it changed; a created or moved-in directory is walked; a deleted file whose key is recorded
 * is deleted, and a deleted directory (the watcher gives only its path) becomes a delete of the recorded
 * keys under it. A rename is a DELETE of the old path and a CREATE of the new one, so it becomes both; deletes
 * wait {@value #RENAME_WINDOW_MILLIS} ms for their content to show up under a new name, so that a rename is
 * told apart from data going away.
 * <p>
 * Deletes are sent without pass approval, so the delete route's event-delete limit applies. None are sent
 * while the source root is missing, no longer a directory, or replaced by another directory (a renamed
 * root still reports events under its old path): {@link Actions#blocked} instead.
 */
public final class WatchEvents {

    private static final Logger LOG = LoggerFactory.getLogger(WatchEvents.class);

    /** Keys per delete message: the delete route takes batches of at most 1000. */
    static final int DELETE_BATCH = 1000;

    /**
     * How long a delete from events waits for its content (size and mtime, which a rename keeps) to appear under
     * another name: then it was a rename, and it does not spend the event-delete budget.
     */
    static final long RENAME_WINDOW_MILLIS = 2000;

    public enum Kind { CREATE, MODIFY, DELETE, OVERFLOW }

    /** Where the actions go: in a job, its upload and delete routes and its health. */
    public interface Actions {
        /** Uploads the file now, in the caller's thread. */
        void upload(LocalFile file, String reason);

        void delete(List<String> keys);

        /** Deletes keys whose content appeared under another name meanwhile (a rename): no data goes away. */
        void deleteRenamed(List<String> keys);

        /** Deletes from events are not safe now (the source root is gone or replaced). */
        void blocked(String reason);

        /** Events were lost; the re-scan and reconciliation cover them. */
        default void overflow() {
        }
    }

    private final Path root;
    private final KeyMapper mapper;
    private final SourceFilter filter;
    private final SettleRule settle;
    private final boolean followSymlinks;
    private final SyncState state;
    private final ChangeDetector changes;
    private final Actions actions;
    private final LongSupplier clock;
    private final Debouncer<Path> debouncer;
    private final Debouncer.Scheduler scheduler;
    /**
     * Files seen created or moved in, by "size mtime": a held delete of the same content whose new file still
     * exists was a rename.
     */
    private final Map<String, Deque<Seen>> seen = new HashMap<>();
    /** Keys held for the rename window: a directory's delete event does not ask for its files' keys again. */
    private final Set<String> held = new HashSet<>();
    private final Object rootIdentity;

    /**
     * @param scheduler runs the settle checks (each may upload, so it should have the job's threads)
     */
    public WatchEvents(Path root, KeyMapper mapper, SourceFilter filter, SettleRule settle, boolean followSymlinks,
                       SyncState state, ChangeDetector changes, Actions actions, LongSupplier clockMillis,
                       Debouncer.Scheduler scheduler) {
        this.root = root;
        this.mapper = mapper;
        this.filter = filter;
        this.settle = settle;
        this.followSymlinks = followSymlinks;
        this.state = state;
        this.changes = changes;
        this.actions = actions;
        this.clock = clockMillis;
        this.debouncer = new Debouncer<>(clockMillis, scheduler, this::check);
        this.scheduler = scheduler;
        this.rootIdentity = identity(root);
    }

    public Path root() {
        return root;
    }

    /** Checks waiting for their file to settle. */
    public int pendingChecks() {
        return debouncer.pending();
    }

    public void onEvent(Kind kind, Path path) {
        switch (kind) {
            case OVERFLOW -> actions.overflow();
            case CREATE, MODIFY -> created(path);
            case DELETE -> deleted(path);
        }
    }

    /** A file seen still being written elsewhere (a reconciliation pass): check it once it settles. */
    public void recheck(Path file) {
        created(file);
    }

    private void created(Path path) {
        if (path == null || !path.startsWith(root) || path.equals(root)) {
            return;
        }
        BasicFileAttributes attrs = stat(path);
        if (attrs == null) {
            return; // gone again already: its DELETE follows
        }
        if (attrs.isDirectory()) {
            if (followSymlinks || !Files.isSymbolicLink(path)) {
                walk(path);
            }
        } else if (attrs.isRegularFile() && filter.accepts(path)) {
            saw(path, attrs);
            schedule(path, attrs.lastModifiedTime().toMillis());
        }
    }

    /** A directory created or moved in with content: each of its files, as if it had its own event. */
    private void walk(Path dir) {
        Set<FileVisitOption> options = followSymlinks ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : Set.of();
        try {
            Files.walkFileTree(dir, options, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isSymbolicLink()) {
                        BasicFileAttributes target = stat(file);
                        if (target == null || !target.isRegularFile()) {
                            return FileVisitResult.CONTINUE;
                        }
                        attrs = target;
                    }
                    if (attrs.isRegularFile() && filter.accepts(file)) {
                        saw(file, attrs);
                        schedule(file, attrs.lastModifiedTime().toMillis());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    LOG.debug("not walking {}: {}", file, e.toString()); // the re-scan will see it
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot walk created directory {}: {}", dir, e.toString());
        }
    }

    private void schedule(Path file, long mtimeMillis) {
        debouncer.arm(file, clock.getAsLong() + settle.remainingMillis(mtimeMillis));
    }

    /** The debounced check: upload the file if it has settled and the state does not describe it yet. */
    void check(Path file) {
        BasicFileAttributes attrs = stat(file);
        if (attrs == null || !attrs.isRegularFile() || !filter.accepts(file)) {
            return;
        }
        long mtime = attrs.lastModifiedTime().toMillis();
        long remaining = settle.remainingMillis(mtime);
        if (remaining > 0) {
            debouncer.arm(file, clock.getAsLong() + remaining);
            return;
        }
        String key = mapper.keyFor(file);
        changes.localChange(key, attrs.size(), mtime)
                .ifPresent(reason -> actions.upload(new LocalFile(file, key, attrs.size(), mtime), reason));
    }

    private void deleted(Path path) {
        if (path == null || !path.startsWith(root)) {
            return;
        }
        Optional<String> rootProblem = rootProblem();
        if (rootProblem.isPresent()) {
            actions.blocked(rootProblem.get());
            return;
        }
        if (path.equals(root)) {
            return; // the root is (again) where it was; nothing to delete on its account
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            created(path); // deleted and created again before we looked (an editor's save by rename)
            return;
        }
        debouncer.cancel(path);
        String key = mapper.keyFor(path);
        List<String> batch = new ArrayList<>();
        if (state.get(key).isPresent() && filter.accepts(path)) {
            batch.add(key);
        }
        // a deleted directory arrives as its path alone: delete what the state holds under it
        String prefix = key + "/";
        String after = null;
        for (List<String> page; !(page = state.keysUnder(prefix, after, DELETE_BATCH)).isEmpty(); ) {
            after = page.get(page.size() - 1);
            for (String under : page) {
                Optional<Path> file = mapper.pathFor(under);
                if (file.isPresent() && filter.accepts(file.get()) && !Files.exists(file.get(), LinkOption.NOFOLLOW_LINKS)) {
                    batch.add(under);
                    if (batch.size() == DELETE_BATCH) {
                        hold(List.copyOf(batch));
                        batch.clear();
                    }
                }
            }
        }
        if (!batch.isEmpty()) {
            hold(List.copyOf(batch));
        }
    }

    private synchronized void saw(Path file, BasicFileAttributes attrs) {
        seen.computeIfAbsent(attrs.size() + " " + attrs.lastModifiedTime().toMillis(), k -> new ArrayDeque<>())
                .add(new Seen(clock.getAsLong(), file));
    }

    /** A file seen created or moved in, and when. */
    private record Seen(long at, Path file) {
    }

    /** Sends {@code keys} for deletion once the rename window has passed, those renamed meanwhile as such. */
    private void hold(List<String> batch) {
        List<String> keys;
        synchronized (this) {
            keys = batch.stream().filter(held::add).toList();
        }
        if (keys.isEmpty()) {
            return;
        }
        List<String> contents = keys.stream()
                .map(k -> state.get(k).map(r -> r.size() + " " + r.mtimeMillis()).orElse("")).toList();
        scheduler.schedule(() -> {
            try {
                release(keys, contents);
            } finally {
                synchronized (this) {
                    held.removeAll(keys);
                }
            }
        }, RENAME_WINDOW_MILLIS);
    }

    private void release(List<String> keys, List<String> contents) {
        Optional<String> rootProblem = rootProblem();
        if (rootProblem.isPresent()) {
            actions.blocked(rootProblem.get());
            return;
        }
        List<String> renamed = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        synchronized (this) {
            long expired = clock.getAsLong() - 2 * RENAME_WINDOW_MILLIS;
            seen.values().forEach(files -> files.removeIf(f -> f.at() < expired || !Files.exists(f.file())));
            seen.values().removeIf(Deque::isEmpty);
            for (int i = 0; i < keys.size(); i++) {
                Deque<Seen> files = seen.get(contents.get(i));
                if (files != null && !files.isEmpty()) {
                    files.poll();
                    renamed.add(keys.get(i));
                } else {
                    gone.add(keys.get(i));
                }
            }
        }
        if (!gone.isEmpty()) {
            actions.delete(gone);
        }
        if (!renamed.isEmpty()) {
            actions.deleteRenamed(renamed);
        }
    }

    /** Why deletes from events are unsafe now, if they are: the root is gone, not a directory, or replaced. */
    public Optional<String> rootProblem() {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(root, BasicFileAttributes.class);
        } catch (IOException e) {
            return Optional.of("the source root " + root + " is gone (" + e.getClass().getSimpleName() + ")");
        }
        if (!attrs.isDirectory()) {
            return Optional.of("the source root " + root + " is not a directory any more");
        }
        if (rootIdentity != null && !Objects.equals(rootIdentity, attrs.fileKey())) {
            return Optional.of("the source root " + root + " was replaced by another directory since the watch began");
        }
        return Optional.empty();
    }

    private BasicFileAttributes stat(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    private static Object identity(Path root) {
        try {
            return Files.readAttributes(root, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
