package org.autosync.job;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Uploads of a job found (by a pass, the re-scan or the watcher) and not finished yet: what its lag is made of. */
public final class PendingUploads {

    /** By exchange id: the change's mtime (the age of the oldest is the lag). */
    private final Map<String, Long> changedAt = new ConcurrentHashMap<>();

    /** An upload was found for a change made at {@code changedAtMillis}. */
    public void found(String id, long changedAtMillis) {
        changedAt.put(id, changedAtMillis);
    }

    /** The upload {@code id} finished, whether it succeeded or not. */
    public void done(String id) {
        changedAt.remove(id);
    }

    public int count() {
        return changedAt.size();
    }

    /** The modification time of the oldest change found and not synced yet (empty if none is pending). */
    public Optional<Instant> oldestChange() {
        return changedAt.values().stream().min(Long::compare).map(Instant::ofEpochMilli);
    }
}
