package org.autosync.watch;

import java.util.Locale;
import java.util.Optional;

import org.autosync.errors.Causes;

/**
 * Recognises the Linux inotify limits in the exceptions of the JDK's WatchService and says how to raise
 * them. The JDK reports ENOSPC from {@code inotify_add_watch} as "User limit of inotify watches reached"
 * and EMFILE from {@code inotify_init} as "User limit of inotify instances reached or too many open files".
 */
public final class InotifyLimits {

    public enum Limit {
        /** fs.inotify.max_user_watches: one watch per directory. */
        WATCHES("fs.inotify.max_user_watches", "524288",
                "one watch per directory of the tree; raise it above the number of directories you watch"),
        /** fs.inotify.max_user_instances: one instance per watching job. */
        INSTANCES("fs.inotify.max_user_instances", "1024",
                "one instance per job; or the process ran out of file descriptors (ulimit -n)");

        public final String sysctl;
        public final String suggested;
        final String meaning;

        Limit(String sysctl, String suggested, String meaning) {
            this.sysctl = sysctl;
            this.suggested = suggested;
            this.meaning = meaning;
        }

        /** The fix, in one sentence a user can act on. */
        public String fix() {
            return "raise " + sysctl + " (" + meaning + "): sudo sysctl " + sysctl + "=" + suggested
                    + ", and to keep it: echo " + sysctl + "=" + suggested + " | sudo tee /etc/sysctl.d/90-autosync.conf";
        }
    }

    private InotifyLimits() {
    }

    /** The limit that {@code failure} (or one of its causes) reports, if it is one. */
    public static Optional<Limit> of(Throwable failure) {
        for (Throwable t : Causes.chain(failure)) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("inotify watches") || message.contains("no space left on device")) {
                return Optional.of(Limit.WATCHES);
            }
            if (message.contains("inotify instances") || message.contains("too many open files")) {
                return Optional.of(Limit.INSTANCES);
            }
        }
        return Optional.empty();
    }
}
