package org.autosync.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.camel.support.service.ServiceSupport;
import org.autosync.targets.MultipartJournal;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * {@link SyncState} in an embedded H2 MVStore file: restart-safe, one file per job and target, readable
 * by its owner only. The store is locked while open, so two processes cannot share one job's state.
 * <p>
 * It is also the job's {@link MultipartJournal}, in two more maps of the same file (uploads and intents);
 * journal changes are committed to disk before the call returns, so they survive a SIGKILL right after.
 */
public final class MvStoreSyncState extends ServiceSupport implements SyncState, MultipartJournal {

    private final Path file;
    private MVStore store;
    private MVMap<String, String> records;
    private MVMap<String, String> multipart;
    private MVMap<String, String> intents;

    public MvStoreSyncState(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    protected void doStart() {
        createPrivately(file);
        try {
            store = new MVStore.Builder().fileName(file.toString()).open();
        } catch (MVStoreException e) {
            throw new IllegalStateException("cannot open sync state " + file
                    + " (is another autosync running the same job?): " + e.getMessage(), e);
        }
        records = store.openMap("records");
        multipart = store.openMap("multipart-uploads");
        intents = store.openMap("multipart-intents");
    }

    @Override
    protected void doStop() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    @Override
    public Optional<SyncRecord> get(String key) {
        String value = records.get(key);
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split(" ", 3);
        return Optional.of(new SyncRecord(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                parts.length > 2 && !parts[2].isEmpty() ? parts[2] : null));
    }

    @Override
    public void put(String key, SyncRecord record) {
        records.put(key, record.size() + " " + record.mtimeMillis() + " "
                + (record.etag() == null ? "" : record.etag()));
    }

    @Override
    public void forget(String key) {
        records.remove(key);
    }

    /** A range read of the ordered map from {@code prefix}: touches only the keys under it. */
    @Override
    public List<String> keysUnder(String prefix, String after, int limit) {
        List<String> keys = new ArrayList<>();
        String from = after != null && after.compareTo(prefix) > 0 ? after : prefix;
        Iterator<String> it = records.keyIterator(from);
        while (keys.size() < limit && it.hasNext()) {
            String key = it.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            if (!key.equals(after)) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** A range read of the ordered map from {@code prefix}, like {@link #keysUnder}. */
    @Override
    public long countUnder(String prefix) {
        long count = 0;
        for (Iterator<String> it = records.keyIterator(prefix); it.hasNext() && it.next().startsWith(prefix); ) {
            count++;
        }
        return count;
    }

    @Override
    public void clear() {
        records.clear();
    }

    @Override
    public synchronized void creating(String key, String token) {
        intents.put(token, key);
        store.commit();
    }

    @Override
    public synchronized void started(String key, String token, String uploadId) {
        if (token != null) {
            intents.remove(token);
        }
        multipart.put(uploadId, key);
        store.commit();
    }

    @Override
    public synchronized void ended(String key, String uploadId) {
        if (multipart.remove(uploadId) != null) {
            store.commit();
        }
    }

    @Override
    public synchronized void notCreated(String key, String token) {
        if (intents.remove(token) != null) {
            store.commit();
        }
    }

    @Override
    public synchronized Map<String, String> pending() {
        return new TreeMap<>(multipart);
    }

    @Override
    public synchronized Map<String, String> intents() {
        return new TreeMap<>(intents);
    }

    public long size() {
        return records.sizeAsLong();
    }

    private static void createPrivately(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                if (posix) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
            }
            if (!Files.exists(file)) {
                Files.createFile(file);
                if (posix) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create sync state file " + file + ": " + e.getMessage(), e);
        }
    }
}
