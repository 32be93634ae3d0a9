package org.autosync.targets;

import java.util.Map;

/**
 * A durable record of the multipart uploads an actor has started and not yet completed or aborted, so
 * that a process killed mid-upload (SIGKILL, power loss) can abort its own leftovers at the next start
 * without listing the bucket's incomplete uploads. Before an upload is created its intent is written
 * ({@link #creating}), so that one created in the instant before its id is known can still be found (by
 * listing the uploads of that one key); once created, the upload id replaces the intent ({@link #started}).
 * The entry is removed when the upload is completed or aborted. Every change is on disk before its call returns.
 */
public interface MultipartJournal {

    /** A multipart upload of {@code key} is about to be created: remember durably that one may exist, under {@code token}. */
    void creating(String key, String token);

    /**
     * The upload was created: remember {@code uploadId} durably and forget the intent {@code token}
     * (null for none), both in one write.
     */
    void started(String key, String token, String uploadId);

    /** The upload was completed or aborted (or is known to be gone): forget it. */
    void ended(String key, String uploadId);

    /** No upload exists under the intent {@code token} (the create was refused, or its uploads were aborted): forget it. */
    void notCreated(String key, String token);

    /** Upload id to key of every upload started and not ended. */
    Map<String, String> pending();

    /** Token to key of every intent not replaced by an upload id nor forgotten. */
    Map<String, String> intents();
}
