package org.autosync.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.ExecutorServiceManager;
import org.autosync.local.LocalFile;
import org.autosync.reconcile.Transfers;
import org.autosync.state.StateUnavailableException;
import org.autosync.watch.InotifyLimits;
import org.autosync.watch.WatchEvents;
import org.autosync.watch.WatchStarter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event side of a continuous job with {@code --watch=events}: watches the source tree and turns its
 * events ({@link WatchEvents}) into the job's {@link Transfers} (its one upload route and one delete route;
 * deletes unapproved, so the event-delete limit applies). The file route and the reconciliation keep running
 * behind it for what events miss (overflow, changes while down).
 * <p>
 * If the watches cannot be registered (the inotify limits), it logs one ERROR with the fix and stays off:
 * the job goes on in poll mode. If the watch ends (the root was deleted) or the root was replaced, a later
 * reconciliation pass starts it again on the root as it then is.
 */
final class SourceWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(SourceWatcher.class);

    private final MirrorJob job;
    private final JobSpec spec;
    private final WatchStarter starter;
    private CamelContext context;
    private ScheduledExecutorService settleChecks;
    private ExecutorService loop;
    private WatchEvents events;
    private WatchStarter.Handle handle;
    private Listener listener;
    private volatile boolean watching;
    private volatile boolean fellBack;
    private volatile String fallBackReason = "";

    SourceWatcher(MirrorJob job, WatchStarter starter) {
        this.job = job;
        this.spec = job.spec();
        this.starter = starter;
    }

    boolean watching() {
        return watching;
    }

    String fallBackReason() {
        return fallBackReason;
    }

    /** Whether the watch could not be set up and the job runs in poll mode instead. */
    boolean fellBack() {
        return fellBack;
    }

    /**
     * Starts watching unless it is already or fell back to polling; restarts a watch whose root was
     * replaced or that ended. Called at the start of each reconciliation pass.
     */
    synchronized void ensureWatching(CamelContext camel) {
        if (fellBack) {
            return;
        }
        if (watching && events.rootProblem().isPresent()) {
            LOG.info("{}: {}; watching again once it is back", spec.id(), events.rootProblem().get());
            closeWatch();
        }
        if (watching || !Files.isDirectory(spec.source())) {
            return;
        }
        if (context == null) {
            context = camel;
            ExecutorServiceManager executors = camel.getExecutorServiceManager();
            // no queue limit (Camel's default is 1000): during a target outage the checks wait behind blocked
            // uploads, and a rejected one would be an event lost until the re-scan
            settleChecks = executors.newScheduledThreadPool(this, spec.beanName() + "-settle",
                    new ThreadPoolProfileBuilder(spec.beanName() + "-settle").poolSize(spec.threads()).maxQueueSize(-1)
                            .build());
            loop = executors.newSingleThreadExecutor(this, spec.beanName() + "-watch");
        }
        events = new WatchEvents(spec.source(), spec.mapper(), spec.filter(), spec.settleRule(), spec.followSymlinks(),
                job.state(), job.changes(), new TransferActions(job.transfers()), System::currentTimeMillis,
                (task, delay) -> settleChecks.schedule(task, delay, TimeUnit.MILLISECONDS));
        long started = System.nanoTime();
        try {
            listener = new Listener();
            WatchStarter.Handle h = starter.start(spec.source(), listener, loop);
            handle = h;
            watching = true;
            LOG.info("{}: watching {} for changes ({} ms to register)", spec.id(), spec.source(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            h.done().whenComplete((v, e) -> ended(h, e));
        } catch (Exception e) {
            fallBack(e);
        }
    }

    private synchronized void ended(WatchStarter.Handle h, Throwable failure) {
        if (handle != h) {
            return; // closed by us
        }
        watching = false;
        handle = null;
        LOG.warn("{}: stopped watching {}: {}; the re-scan and the reconciliation go on, and the next pass watches again",
                spec.id(), spec.source(), failure == null ? "no directory left to watch (the source root went away?)"
                        : failure.toString());
    }

    /** One clear ERROR, then poll mode for this job: never a silent stop. */
    private synchronized void fallBack(Throwable e) {
        fellBack = true;
        closeWatch();
        Optional<InotifyLimits.Limit> limit = InotifyLimits.of(e);
        String cause = e.getMessage() != null ? e.getMessage() : e.toString();
        fallBackReason = cause;
        LOG.error("{}: cannot watch {} for file-system events ({}). This job falls back to --watch=poll: changes are "
                + "found by the re-scan every {} ms and the reconciliation every {} s. {}", spec.id(), spec.source(), cause,
                spec.interval().toMillis(), spec.reconcileInterval().toSeconds(),
                limit.map(l -> "To fix, " + l.fix() + ", then restart autosync.")
                        .orElse("Use --watch=poll to choose this explicitly."));
    }

    private void closeWatch() {
        WatchStarter.Handle h = handle;
        handle = null;
        watching = false;
        if (listener != null) {
            listener.active = false;
        }
        if (h != null) {
            h.close();
        }
    }

    synchronized void stop() {
        closeWatch();
        if (context != null) {
            context.getExecutorServiceManager().shutdownNow(settleChecks);
            context.getExecutorServiceManager().shutdownNow(loop);
            context = null;
        }
    }

    /** Hands a file to the settle checks, if watching: uploaded once it settles, without waiting for the re-scan. */
    boolean recheck(Path file) {
        WatchEvents e = events;
        if (!watching || e == null) {
            return false;
        }
        e.recheck(file);
        return true;
    }

    private final class Listener implements DirectoryChangeListener {
        private volatile boolean active = true;

        @Override
        public void onEvent(DirectoryChangeEvent event) {
            WatchEvents.Kind kind = switch (event.eventType()) {
                case CREATE -> WatchEvents.Kind.CREATE;
                case MODIFY -> WatchEvents.Kind.MODIFY;
                case DELETE -> WatchEvents.Kind.DELETE;
                case OVERFLOW -> WatchEvents.Kind.OVERFLOW;
            };
            try {
                events.onEvent(kind, event.path());
            } catch (StateUnavailableException e) {
                // the state warned once; nothing is deleted without it, and the next pass decides this event's file
                LOG.debug("{}: event {} on {} not handled: {}", spec.id(), kind, event.path(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("{}: event {} on {} not handled: {}", spec.id(), kind, event.path(), e.toString());
            }
        }

        @Override
        public boolean isWatching() {
            return active;
        }

        @Override
        public void onException(Exception e) {
            if (InotifyLimits.of(e).isPresent()) {
                fallBack(e); // a new directory could not be watched: the watch is incomplete
            } else {
                LOG.warn("{}: watching {}: {}", spec.id(), spec.source(), e.toString());
            }
        }
    }

    private final class TransferActions implements WatchEvents.Actions {
        private final Transfers transfers;

        TransferActions(Transfers transfers) {
            this.transfers = transfers;
        }

        @Override
        public void upload(LocalFile file, String reason) {
            transfers.uploadNow(file, reason);
        }

        @Override
        public void delete(List<String> keys) {
            try {
                transfers.deleteFromEvents(keys);
            } catch (RuntimeException e) {
                LOG.warn("{}: delete of {} key(s) from events failed: {}", spec.id(), keys.size(), e.toString());
                job.deletesNotDone(keys.size());
            }
        }

        @Override
        public void deleteRenamed(List<String> keys) {
            try {
                transfers.deleteRenamed(keys);
            } catch (RuntimeException e) {
                LOG.warn("{}: delete of {} renamed key(s) from events failed: {}", spec.id(), keys.size(), e.toString());
                job.deletesNotDone(keys.size());
            }
        }

        @Override
        public void blocked(String reason) {
            job.eventDeletesBlocked(reason);
        }

        @Override
        public void overflow() {
            LOG.warn("{}: the file-system event queue overflowed and events were lost: the re-scan uploads what "
                    + "changed within {} ms, deletes wait for the next reconciliation", spec.id(), spec.interval().toMillis());
        }
    }
}
