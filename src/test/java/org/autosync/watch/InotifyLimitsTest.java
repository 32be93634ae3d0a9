package org.autosync.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

import org.junit.jupiter.api.Test;

class InotifyLimitsTest {

    @Test
    void watchLimitAsTheJdkReportsItWrappedByTheWatcherLibrary() {
        Exception e = new UncheckedIOException(new IOException("User limit of inotify watches reached"));
        assertThat(InotifyLimits.of(e)).contains(InotifyLimits.Limit.WATCHES);
        assertThat(InotifyLimits.Limit.WATCHES.fix()).contains("sysctl fs.inotify.max_user_watches=");
    }

    @Test
    void instanceLimitAsTheJdkReportsIt() {
        Exception e = new IOException("User limit of inotify instances reached or too many open files");
        assertThat(InotifyLimits.of(e)).contains(InotifyLimits.Limit.INSTANCES);
        assertThat(InotifyLimits.Limit.INSTANCES.fix()).contains("sysctl fs.inotify.max_user_instances=");
    }

    @Test
    void enospcInOtherWords() {
        assertThat(InotifyLimits.of(new FileSystemException("/src/a", null, "No space left on device")))
                .contains(InotifyLimits.Limit.WATCHES);
    }

    @Test
    void otherFailuresAreNotLimits() {
        assertThat(InotifyLimits.of(new IOException("Permission denied"))).isEmpty();
        assertThat(InotifyLimits.of(new IllegalStateException())).isEmpty();
    }
}
