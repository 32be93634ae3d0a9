package org.autosync.watch;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a recursive watch of a directory tree. The default is gmethvin's directory-watcher (the engine of
 * camel-file-watch) without file hashing, on the JDK WatchService (inotify on Linux): no file is read at
 * start, and a deleted directory is reported by its path alone. Unlike camel-file-watch, which drops the
 * future of {@code watchAsync}, a failure to register the watches (the inotify limits) is thrown here.
 * Tests pass their own starter to simulate such failures.
 */
@FunctionalInterface
public interface WatchStarter {

    /** A running watch. */
    interface Handle extends AutoCloseable {
        /** Completes when the watch ends by itself (nothing left to watch) or fails. */
        CompletableFuture<Void> done();

        @Override
        void close();
    }

    /**
     * Registers watches on {@code root} and every directory under it, then runs the event loop on
     * {@code executor}.
     *
     * @throws Exception when the watches cannot be registered
     */
    Handle start(Path root, DirectoryChangeListener listener, ExecutorService executor) throws Exception;

    static WatchStarter directoryWatcher() {
        return (root, listener, executor) -> {
            Logger log = LoggerFactory.getLogger(WatchStarter.class);
            DirectoryWatcher.Builder builder = DirectoryWatcher.builder().path(root).listener(listener)
                    .fileHashing(false).logger(log);
            if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac")) {
                // one WatchService (one inotify instance) per job, on the source's own file system
                builder.watchService(root.getFileSystem().newWatchService());
            }
            DirectoryWatcher watcher = builder.build();
            CompletableFuture<Void> loop = watcher.watchAsync(executor); // registers before it returns
            if (loop.isCompletedExceptionally()) {
                watcher.close();
                try {
                    loop.join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            return new Handle() {
                @Override
                public CompletableFuture<Void> done() {
                    return loop;
                }

                @Override
                public void close() {
                    try {
                        watcher.close();
                    } catch (Exception e) {
                        log.debug("closing the watcher of {} failed", root, e);
                    }
                }
            };
        };
    }
}
