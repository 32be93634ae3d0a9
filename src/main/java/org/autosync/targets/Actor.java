package org.autosync.targets;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The backend a mirror writes to: the original autosync's actor interface ({@code list},
 * {@code upload}, {@code delete}), plus the one lookup reconciliation needs on a first run.
 * Implementations are thread-safe: uploads run in parallel.
 */
public interface Actor extends AutoCloseable {

    /** Streams the objects whose key starts with {@code prefix} ({@code ""} = the whole container). */
    RemoteListing list(String prefix);

    /** Uploads (creates or replaces) one object and returns its ETag (may be null if the target has none). */
    String upload(Upload upload) throws IOException;

    /**
     * Deletes the given keys (any number; the actor batches them as its target allows).
     *
     * @return the keys that could not be deleted, with the reason; empty when all went
     */
    List<DeleteFailure> delete(List<String> keys);

    /**
     * Copies one object within the target, content and metadata, server-side where the target can
     * ({@code --backup_prefix} keeps a copy of each object before it is deleted).
     *
     * @throws UnsupportedOperationException when this target cannot copy objects (the default)
     * @throws IOException or an unchecked exception when the copy failed
     */
    default void copy(String fromKey, String toKey) throws IOException {
        throw new UnsupportedOperationException(describe() + " cannot copy objects, so it cannot keep backups "
                + "(--backup_prefix); " + fromKey + " was not copied to " + toKey);
    }

    /**
     * From now on, records each multipart upload in {@code journal} while it runs; first aborts every
     * upload the journal still holds (left by a run that was killed). Never throws: an upload that cannot
     * be aborted now stays in the journal and is tried again later (the S3 actor does so at each listing,
     * that is each reconciliation pass). Targets without multipart uploads ignore it.
     */
    default void useJournal(MultipartJournal journal) {
    }

    /** The source mtime recorded on an object by a previous upload, if the object exists and has one. */
    Optional<Long> storedMtimeMillis(String key);

    /** One line that tells a user what went wrong, in this target's terms; never secrets. */
    default String explain(Throwable failure) {
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }

    /**
     * Whether a failure means the target is misconfigured or unreachable (wrong endpoint, rejected
     * credentials, missing permission) rather than a transient fault worth retrying.
     */
    default boolean isConfigurationError(Throwable failure) {
        return false;
    }

    /**
     * Checks this actor's settings before anything runs: called by each job whose {@code actor} parameter names
     * this bean, after its settings were bound ({@code --actor_option}, {@code camel.beans.NAME.*} properties),
     * e.g. for {@code --actor=CLASS} and {@link org.autosync.cli.Autosync#run(Actor, String...)}. Throw
     * {@link IllegalArgumentException} or {@link IllegalStateException} naming the missing or invalid settings
     * (never their values, which may be secrets); the message is printed and the run exits 2. The default
     * accepts any settings.
     */
    default void validate() {
    }

    /** A short description for logs, e.g. {@code s3://bucket at http://127.0.0.1:9000}; no secrets. */
    String describe();

    @Override
    default void close() {
    }

    /** A key the target refused to delete. */
    record DeleteFailure(String key, String reason) {
    }
}
