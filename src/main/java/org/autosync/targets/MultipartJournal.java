package org.autosync.targets;

import java.util.Map;

/**
 * A durable record of the multipart uploads an actor has started and not yet completed or aborted, so
 * that a process killed mid-upload (SIGKILL, power loss) can abort its own leftovers at the next start
 * without listing the bucket's incomplete uploads. An entry is written when the upload is created and
 * removed when it is completed or aborted; it must be on disk before {@link #started} returns.
 */
public interface MultipartJournal {

    /** A multipart upload was created: remember it durably. */
    void started(String key, String uploadId);

    /** The upload was completed or aborted (or is known to be gone): forget it. */
    void ended(String key, String uploadId);

    /** Upload id to key of every upload started and not ended. */
    Map<String, String> pending();
}
