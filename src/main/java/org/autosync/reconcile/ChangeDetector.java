package org.autosync.reconcile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import org.autosync.local.LocalFile;
import org.autosync.state.SyncRecord;
import org.autosync.state.SyncState;
import org.autosync.targets.Actor;
import org.autosync.targets.RemoteObject;

/**
 * The one rule that decides whether a file must be uploaded, for a reconciliation pass, the re-scan and the
 * watcher alike.
 * <p>
 * Seen locally only ({@link #localChange}): a file the state has no record of is new; any size or mtime
 * difference from what was uploaded is a change, even an mtime that moved backwards. Seen on both sides
 * ({@link #uploadReason}), with a state record: any size or mtime difference from what was uploaded is a local change, and a
 * size or ETag difference in the listing is a change made in the target by someone else. Without one
 * (first run against a filled bucket) the object is checked once, by MD5 against a single-part ETag or
 * by the mtime an earlier upload stored in its metadata, and adopted into the state when it matches.
 */
public final class ChangeDetector {

    private static final Pattern SINGLE_PART_ETAG = Pattern.compile("[0-9a-fA-F]{32}");

    private final SyncState state;
    private final Actor actor;
    private final boolean recordAdoptions;

    public ChangeDetector(SyncState state, Actor actor, boolean recordAdoptions) {
        this.state = state;
        this.actor = actor;
        this.recordAdoptions = recordAdoptions;
    }

    /**
     * Whether a file changed since it was last uploaded, judged from the state alone (no request to the target).
     *
     * @return {@code "new"} or {@code "changed"}, or empty when the state records exactly this size and mtime
     */
    public Optional<String> localChange(String key, long size, long mtimeMillis) {
        return localChange(state.get(key), size, mtimeMillis);
    }

    private static Optional<String> localChange(Optional<SyncRecord> recorded, long size, long mtimeMillis) {
        if (recorded.isEmpty()) {
            return Optional.of("new");
        }
        return recorded.get().describes(size, mtimeMillis) ? Optional.empty() : Optional.of("changed");
    }

    /** @return why the file must be uploaded, or empty when the object already equals it */
    public Optional<String> uploadReason(LocalFile local, RemoteObject remote) {
        Optional<SyncRecord> recorded = state.get(local.key());
        if (recorded.isPresent()) {
            SyncRecord record = recorded.get();
            Optional<String> changed = localChange(recorded, local.size(), local.mtimeMillis());
            if (changed.isPresent()) {
                return changed;
            }
            if (remote.size() != record.size()
                    || record.etag() != null && remote.etag() != null && !record.etag().equals(remote.etag())) {
                return Optional.of("changed in target");
            }
            return Optional.empty();
        }
        if (remote.size() != local.size()) {
            return Optional.of("size differs");
        }
        boolean same = remote.etag() != null && SINGLE_PART_ETAG.matcher(remote.etag()).matches()
                ? md5Hex(local).map(remote.etag()::equalsIgnoreCase).orElse(false)
                : actor.storedMtimeMillis(local.key()).map(m -> m == local.mtimeMillis()).orElse(false);
        if (!same) {
            return Optional.of("content differs");
        }
        if (recordAdoptions) {
            state.put(local.key(), new SyncRecord(local.size(), local.mtimeMillis(), remote.etag()));
        }
        return Optional.empty();
    }

    /** The reads of one pass, which asks about its files in ascending key order (see {@link SyncState#passReads}). */
    public SyncState.PassReads passReads() {
        return state.passReads();
    }

    /** Empty when the file cannot be read: it is then uploaded, and the upload reports the error. */
    private static Optional<String> md5Hex(LocalFile file) {
        try (InputStream in = Files.newInputStream(file.path())) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md5.update(buffer, 0, n);
            }
            return Optional.of(HexFormat.of().formatHex(md5.digest()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
