package org.autosync.targets;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.Optional;

import org.autosync.errors.Causes;

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
     * Whether a failure may go away by itself, so that trying the same thing later can succeed: the target
     * cannot be reached, the connection broke, a timeout, a 5xx, throttling. Anything else is permanent until
     * something changes (access denied, a missing bucket, a request the target rejects, a bug) or is not the
     * target's at all (the local file changed or cannot be read).
     * <p>
     * The one place that decides this for a job: the upload route fails a file at once, never sending it again,
     * and only transient failures count towards backing off the whole target (the job's circuit breaker). Retrying
     * one request is the actor's own business (the AWS SDK's retry strategy for S3); the route never sends a file
     * twice.
     * <p>
     * The default: connection failures and timeouts are transient; other {@link IOException}s are transient unless
     * {@link #isConfigurationError} says the configuration is wrong; local file-system errors, a
     * {@link FileChangedException} and every other exception (a bug, a rejected argument) are permanent. Override it
     * with the target's own classification (status codes, error codes).
     */
    default boolean isTransient(Throwable failure) {
        if (failure == null || Causes.find(FileSystemException.class, failure).isPresent()
                || Causes.find(FileChangedException.class, failure).isPresent()) {
            return false;
        }
        if (Causes.find(ConnectException.class, failure).isPresent()
                || Causes.find(NoRouteToHostException.class, failure).isPresent()
                || Causes.find(UnknownHostException.class, failure).isPresent()
                || Causes.find(SocketTimeoutException.class, failure).isPresent()
                || Causes.find(HttpTimeoutException.class, failure).isPresent()) {
            return true;
        }
        return Causes.find(IOException.class, failure).isPresent() && !isConfigurationError(failure);
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
