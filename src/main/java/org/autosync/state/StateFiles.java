package org.autosync.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a job's sync state lives: one file (or one {@link #stateId} in a shared database) per (target service, bucket,
 * key scope, source directory), so two jobs never share a state and the same job finds its state again after a
 * restart, on any node.
 */
public final class StateFiles {

    private StateFiles() {
    }

    /** {@code $XDG_STATE_HOME/autosync}, else {@code ~/.local/state/autosync}. */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("autosync");
    }

    /**
     * The state file of one job in {@code dir} (the default directory when null).
     *
     * @param targetIdentity the target service (endpoint, region or Swift login), not secret
     * @param bucket         the bucket or container; also the readable start of the file name
     * @param scope          the key prefix the job owns
     * @param source         the source directory
     */
    public static Path fileFor(Path dir, String targetIdentity, String bucket, String scope, Path source) {
        Path base = dir != null ? dir : defaultDirectory();
        return base.resolve(stateId(targetIdentity, bucket, scope, source) + ".mv.db");
    }

    /**
     * The name of one job's state, wherever it is kept: the state file's name without its extension, and the
     * {@code state_id} of its rows in a shared database. The same for every node of the same job (same target,
     * bucket, scope and source path), different for any other job. Parameters as for {@link #fileFor}.
     */
    public static String stateId(String targetIdentity, String bucket, String scope, Path source) {
        String identity = targetIdentity + "\n" + bucket + "\n" + scope + "\n" + source;
        return bucket + "-" + sha256(identity).substring(0, 16);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
