package org.autosync.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.autosync.keys.KeyMapper;
import org.autosync.local.LocalFile;
import org.autosync.local.LocalTreeWalker;
import org.autosync.local.SettleRule;
import org.autosync.local.SourceFilter;
import org.autosync.safety.DeletionGate;
import org.autosync.state.SyncState;
import org.autosync.target.Actor;
import org.autosync.target.RemoteListing;
import org.autosync.target.RemoteObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One full pass of a job: the sorted local walk merged with the sorted target listing of the job's
 * scope. Uploads go out while the merge runs; deletes wait until both sides were read to the end and
 * the {@link DeletionGate} agrees. A listing that turns out not to be in S3 order is read again and
 * sorted in memory instead (the original actor's {@code already_sorted = False}), from then on for
 * every pass of this job.
 * <p>
 * A file whose mtime is more recent than the {@link SettleRule settle time} is still being written: the
 * pass neither uploads it nor counts its object as missing. If the job allows an {@code unsettledWait}
 * (one-shot mode), the pass then looks at those files again until they settle or the wait is over, and
 * uploads the ones that settled; the rest are reported in {@link PassResult#unsettled()}.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Path sourceRoot;
    private final String scopePrefix;
    private final KeyMapper mapper;
    private final SourceFilter filter;
    private final boolean followSymlinks;
    private final Actor actor;
    private final SyncState state;
    private final ChangeDetector changes;
    private final DeletionGate gate;
    private final SettleRule settle;
    private final Duration unsettledWait;
    private volatile boolean sortListings;

    public Reconciler(Path sourceRoot, KeyMapper mapper, SourceFilter filter, boolean followSymlinks,
                      Actor actor, SyncState state, ChangeDetector changes, DeletionGate gate) {
        this(sourceRoot, mapper, filter, followSymlinks, actor, state, changes, gate, SettleRule.disabled(),
                Duration.ZERO);
    }

    /**
     * @param settle        when a file counts as completely written
     * @param unsettledWait how long a pass waits at most for files still being written (zero: skip them)
     */
    public Reconciler(Path sourceRoot, KeyMapper mapper, SourceFilter filter, boolean followSymlinks,
                      Actor actor, SyncState state, ChangeDetector changes, DeletionGate gate,
                      SettleRule settle, Duration unsettledWait) {
        this.sourceRoot = sourceRoot;
        this.scopePrefix = mapper.scopePrefixFor(sourceRoot);
        this.mapper = mapper;
        this.filter = filter;
        this.followSymlinks = followSymlinks;
        this.actor = actor;
        this.state = state;
        this.changes = changes;
        this.gate = gate;
        this.settle = settle;
        this.unsettledWait = unsettledWait;
    }

    /**
     * What a pass found; deletes are the planned ones, sent only if {@code deleteBlockReason} is empty.
     * {@code unsettled}: files still being written at the end of the pass, not uploaded (their objects
     * were not deleted either).
     */
    public record PassResult(long unchanged, List<String> deletes, Optional<String> deleteBlockReason,
                             List<LocalFile> unsettled) {

        public PassResult(long unchanged, List<String> deletes, Optional<String> deleteBlockReason) {
            this(unchanged, deletes, deleteBlockReason, List.of());
        }
    }

    public PassResult pass(Transfers transfers) throws InterruptedException {
        Plan plan;
        try {
            plan = merge(transfers, sortListings);
        } catch (UnsortedListingException e) {
            if (e.side() != UnsortedListingException.Side.REMOTE) {
                throw e;
            }
            LOG.warn("{} lists keys out of S3 order ({}); sorting its listings in memory from now on",
                    actor.describe(), e.getMessage());
            sortListings = true;
            transfers.awaitUploads();
            plan = merge(transfers, true);
        }
        List<LocalFile> unsettled = uploadOnceSettled(plan.unsettled, transfers);
        transfers.awaitUploads();
        Optional<String> blocked = gate.blockReason(new DeletionGate.PassFacts(
                sourceRoot, plan.walker.complete(), plan.walker.problems(), true));
        if (blocked.isPresent()) {
            if (!plan.deletes.isEmpty()) {
                LOG.warn("not deleting {} object(s) under '{}': {}", plan.deletes.size(), scopePrefix, blocked.get());
            }
        } else {
            for (int from = 0; from < plan.deletes.size(); from += Transfers.DELETE_BATCH) {
                transfers.delete(plan.deletes.subList(from,
                        Math.min(plan.deletes.size(), from + Transfers.DELETE_BATCH)));
            }
        }
        return new PassResult(plan.unchanged, plan.deletes, blocked, unsettled);
    }

    /**
     * Looks at files that were still being written again, each time the earliest of them would settle,
     * until all settled or {@code unsettledWait} is over, and uploads those that settled if they differ
     * from their object. One sleep serves all waiting files; nothing sleeps per file.
     *
     * @return the files that did not settle in time
     */
    private List<LocalFile> uploadOnceSettled(List<Unsettled> waiting, Transfers transfers) throws InterruptedException {
        long deadline = System.nanoTime() + unsettledWait.toNanos();
        List<Unsettled> pending = waiting;
        while (!pending.isEmpty()) {
            long sleepMillis = pending.stream().mapToLong(u -> settle.remainingMillis(u.local().mtimeMillis()))
                    .min().orElse(0);
            if (System.nanoTime() + sleepMillis * 1_000_000 - deadline > 0) {
                break;
            }
            Thread.sleep(Math.max(1, sleepMillis));
            List<Unsettled> next = new ArrayList<>();
            for (Unsettled u : pending) {
                LocalFile now = restat(u.local());
                if (now == null) {
                    continue; // removed meanwhile: nothing to upload, the next pass deletes its object
                }
                if (!settle.isSettled(now.mtimeMillis())) {
                    next.add(new Unsettled(now, u.remote()));
                } else if (u.remote() == null) {
                    transfers.upload(now, "new");
                } else {
                    changes.uploadReason(now, u.remote()).ifPresent(reason -> transfers.upload(now, reason));
                }
            }
            pending = next;
        }
        return pending.stream().map(Unsettled::local).toList();
    }

    /** The file as it is now, or null if it is gone; a file that cannot be read is kept as it was seen. */
    private static LocalFile restat(LocalFile file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file.path(), BasicFileAttributes.class);
            return new LocalFile(file.path(), file.key(), a.size(), a.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return file;
        }
    }

    private Plan merge(Transfers transfers, boolean sortListing) {
        LocalTreeWalker walker = new LocalTreeWalker(sourceRoot, filter, mapper::keyFor, followSymlinks);
        Plan plan = new Plan(walker);
        try (RemoteListing listing = actor.list(scopePrefix)) {
            Iterator<RemoteObject> remote = sortListing || !listing.alreadySorted()
                    ? SortedMerge.sortedCopy(listing) : listing;
            SortedMerge.merge(walker, remote, new MergeListener() {
                @Override
                public void onlyLocal(LocalFile local) {
                    if (!settle.isSettled(local.mtimeMillis())) {
                        plan.unsettled.add(new Unsettled(local, null));
                        return;
                    }
                    transfers.upload(local, "new");
                }

                @Override
                public void onlyRemote(RemoteObject remote) {
                    if (isMirrored(remote.key())) {
                        plan.deletes.add(remote.key());
                    }
                }

                @Override
                public void both(LocalFile local, RemoteObject remote) {
                    if (!settle.isSettled(local.mtimeMillis())) {
                        plan.unsettled.add(new Unsettled(local, remote)); // present: its object is not deleted
                        return;
                    }
                    Optional<String> reason = changes.uploadReason(local, remote);
                    if (reason.isPresent()) {
                        transfers.upload(local, reason.get());
                    } else {
                        plan.unchanged++;
                    }
                }
            });
        }
        return plan;
    }

    /**
     * Only objects this job would have written are candidates for deletion: not "directory" markers,
     * and not keys whose local path the source filter rejects (rclone keeps excluded files too). The
     * filter includes the job's temp-file names ({@link SourceFilter#excluding}), so objects named like
     * a write in progress ({@code *.part}, ...) are never deleted either.
     */
    private boolean isMirrored(String key) {
        if (key.endsWith("/")) {
            return false;
        }
        return mapper.pathFor(key).map(filter::accepts).orElse(false);
    }

    /** A file still being written when the merge saw it, and its object if there is one. */
    private record Unsettled(LocalFile local, RemoteObject remote) {
    }

    private static final class Plan {
        final LocalTreeWalker walker;
        final List<String> deletes = new ArrayList<>();
        final List<Unsettled> unsettled = new ArrayList<>();
        long unchanged;

        Plan(LocalTreeWalker walker) {
            this.walker = walker;
        }
    }
}
