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
 * Decides whether a file present on both sides must be uploaded.
 * <p>
 * With a state record: any size or mtime difference from what was uploaded is a local change, and a
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

    /** @return why the file must be uploaded, or empty when the object already equals it */
    public Optional<String> uploadReason(LocalFile local, RemoteObject remote) {
        Optional<SyncRecord> recorded = state.get(local.key());
        if (recorded.isPresent()) {
            SyncRecord record = recorded.get();
            if (!record.describes(local.size(), local.mtimeMillis())) {
                return Optional.of("changed");
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
