package org.autosync.watch;

import java.util.Locale;

/**
 * How a continuous job notices local changes between reconciliation passes. In both modes the file route
 * re-scans every {@code --interval} and the reconciliation runs every {@code --reconcile_interval}.
 */
public enum WatchMode {
    /** File-system events (inotify on Linux): changes propagate within the settle time. */
    EVENTS,
    /** Only the periodic re-scan, for file systems without events (NFS, SMB, FUSE). */
    POLL;

    public static WatchMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("--watch must be 'events' or 'poll', not '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
