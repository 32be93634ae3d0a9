package org.autosync.safety;

import java.time.Duration;
import java.util.Objects;

/**
 * How a job may delete: never ({@code --no-delete}), within a limit per reconciliation pass and per
 * time window of event deletes ({@code --max_delete}), and with a server-side copy under a backup
 * prefix first ({@code --backup_prefix}).
 *
 * @param noDelete     never delete anything
 * @param maxDelete    the limit per reconciliation pass, and per {@code deleteWindow} for deletes
 *                     that were not approved by a pass
 * @param backupPrefix where deleted objects are copied first, normalized to end with {@code /};
 *                     {@code ""} for no backup. Keys under it are never in any job's delete scope.
 * @param deleteWindow the sliding window of the event-delete limit
 */
public record DeletePolicy(boolean noDelete, MaxDelete maxDelete, String backupPrefix, Duration deleteWindow) {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

    public DeletePolicy {
        Objects.requireNonNull(maxDelete, "maxDelete");
        backupPrefix = normalizeBackupPrefix(backupPrefix);
        Objects.requireNonNull(deleteWindow, "deleteWindow");
    }

    public static DeletePolicy defaults() {
        return new DeletePolicy(false, MaxDelete.DEFAULT, "", DEFAULT_WINDOW);
    }

    public boolean backsUp() {
        return !backupPrefix.isEmpty();
    }

    /** Whether {@code key} lies under the backup prefix (and so must never be deleted or overwritten by a job). */
    public boolean isBackupKey(String key) {
        return backsUp() && key.startsWith(backupPrefix);
    }

    /** Where a copy of {@code key} is kept before it is deleted. */
    public String backupKeyOf(String key) {
        return backupPrefix + key;
    }

    /**
     * {@code "PREFIX/"} from {@code PREFIX}, {@code /PREFIX/} or similar; {@code ""} for null or blank.
     *
     * @throws IllegalArgumentException for {@code //}, {@code .} or {@code ..} segments or a bare {@code /}
     */
    public static String normalizeBackupPrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            return "";
        }
        String p = prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("--backup_prefix '" + prefix + "' is empty: name a prefix such as 'autosync-backup'");
        }
        for (String segment : p.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("--backup_prefix '" + prefix + "' must not contain empty, '.' or '..' segments");
            }
        }
        return p + "/";
    }
}
