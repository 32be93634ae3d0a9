package org.autosync.reconcile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.autosync.keys.KeyMapper;
import org.autosync.local.LocalFile;
import org.autosync.local.LocalTreeWalker;
import org.autosync.local.SourceFilter;
import org.autosync.safety.DeletePolicy;
import org.autosync.safety.DeletionGate;
import org.autosync.safety.MaxDelete;
import org.autosync.state.SyncState;
import org.autosync.target.Actor;
import org.autosync.target.RemoteListing;
import org.autosync.target.RemoteObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One full pass of a job: the sorted local walk merged with the sorted target listing of the job's
 * scope. Uploads go out while the merge runs; deletes wait until both sides were read to the end and
 * the {@link DeletionGate} agrees, and then only within the job's {@link DeletePolicy}: not at all with
 * {@code --no-delete}, and not at all when they are more than {@code --max_delete} allows or the source
 * is empty while the target is not (a safety rail). A listing that turns out not to be in S3 order is read again and
 * sorted in memory instead (the original actor's {@code already_sorted = False}), from then on for
 * every pass of this job.
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
    private final DeletePolicy policy;
    private volatile boolean sortListings;

    public Reconciler(Path sourceRoot, KeyMapper mapper, SourceFilter filter, boolean followSymlinks,
                      Actor actor, SyncState state, ChangeDetector changes, DeletionGate gate) {
        this(sourceRoot, mapper, filter, followSymlinks, actor, state, changes, gate, DeletePolicy.defaults());
    }

    public Reconciler(Path sourceRoot, KeyMapper mapper, SourceFilter filter, boolean followSymlinks,
                      Actor actor, SyncState state, ChangeDetector changes, DeletionGate gate, DeletePolicy policy) {
        this.sourceRoot = sourceRoot;
        this.scopePrefix = mapper.scopePrefixFor(sourceRoot);
        this.mapper = mapper;
        this.filter = filter;
        this.followSymlinks = followSymlinks;
        this.actor = actor;
        this.state = state;
        this.changes = changes;
        this.gate = gate;
        this.policy = policy;
    }

    /**
     * What a pass found. {@code deletes} are the planned ones; they were sent only if {@link #deletesSent()}.
     *
     * @param deleteBlockReason why the evidence was not good enough to delete (walk error, source gone)
     * @param inScope           the in-scope, in-filter objects of the listing (the base of {@code --max_delete})
     * @param railTripped       why a safety rail held the deletes back (over {@code --max_delete}, empty source)
     * @param deletesSent       whether the deletes went to the delete route
     */
    public record PassResult(long unchanged, List<String> deletes, Optional<String> deleteBlockReason, long inScope,
                             Optional<String> railTripped, boolean deletesSent) {
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
        transfers.awaitUploads();
        Optional<String> blocked = gate.blockReason(new DeletionGate.PassFacts(
                sourceRoot, plan.walker.complete(), plan.walker.problems(), true));
        Optional<String> rail = Optional.empty();
        boolean send = false;
        if (plan.deletes.isEmpty()) {
            // nothing to hold back
        } else if (blocked.isPresent()) {
            LOG.warn("not deleting {} object(s) under '{}': {}", plan.deletes.size(), scopePrefix, blocked.get());
        } else if (policy.noDelete()) {
            LOG.info("--no-delete: keeping {} object(s) under '{}' whose files are gone from {}",
                    plan.deletes.size(), scopePrefix, sourceRoot);
        } else {
            rail = railTrip(plan);
            if (rail.isPresent()) {
                LOG.warn("not deleting {} object(s) under '{}': {}", plan.deletes.size(), scopePrefix, rail.get());
            } else {
                send = true;
            }
        }
        if (send) {
            for (int from = 0; from < plan.deletes.size(); from += Transfers.DELETE_BATCH) {
                transfers.delete(plan.deletes.subList(from,
                        Math.min(plan.deletes.size(), from + Transfers.DELETE_BATCH)));
            }
        }
        return new PassResult(plan.unchanged, plan.deletes, blocked, plan.inScope, rail, send);
    }

    /** The safety rails of one pass: an empty source never empties the target, and --max_delete. */
    private Optional<String> railTrip(Plan plan) {
        MaxDelete max = policy.maxDelete();
        if (max.unlimited()) {
            return Optional.empty();
        }
        int deletes = plan.deletes.size();
        if (plan.localFiles == 0) {
            return Optional.of("the source " + sourceRoot + " has no files to mirror while " + plan.inScope
                    + " object(s) are in scope, as an unmounted mount point or a wrong path would look. "
                    + "If the target really should be emptied, run with --max_delete=100%");
        }
        long allowed = max.allowed(plan.inScope);
        if (deletes > allowed) {
            return Optional.of(deletes + " deletes of " + plan.inScope + " objects in scope is more than --max_delete="
                    + max + " allows (" + allowed + (max.percent() != null
                            ? ", at least " + MaxDelete.PERCENT_FLOOR : "") + "). "
                    + "If these deletes are intended, raise it, e.g. --max_delete=" + deletes);
        }
        return Optional.empty();
    }

    private Plan merge(Transfers transfers, boolean sortListing) {
        LocalTreeWalker walker = new LocalTreeWalker(sourceRoot, filter, mapper::keyFor, followSymlinks);
        Plan plan = new Plan(walker);
        try (RemoteListing listing = actor.list(scopePrefix)) {
            Iterator<RemoteObject> remote = sortListing || !listing.alreadySorted()
                    ? SortedMerge.sortedCopy(listing) : new OrderCheckedLookahead(listing, LOOKAHEAD);
            SortedMerge.merge(withoutBackupKeys(walker, plan), remote, new MergeListener() {
                @Override
                public void onlyLocal(LocalFile local) {
                    plan.localFiles++;
                    transfers.upload(local, "new");
                }

                @Override
                public void onlyRemote(RemoteObject remote) {
                    if (isMirrored(remote.key())) {
                        plan.inScope++;
                        plan.deletes.add(remote.key());
                    }
                }

                @Override
                public void both(LocalFile local, RemoteObject remote) {
                    plan.localFiles++;
                    plan.inScope++;
                    Optional<String> reason = changes.uploadReason(local, remote);
                    if (reason.isPresent()) {
                        transfers.upload(local, reason.get());
                    } else {
                        plan.unchanged++;
                    }
                }
            });
        }
        if (plan.skippedBackupKeys > 0) {
            LOG.warn("not mirroring {} file(s) of {} whose keys fall under --backup_prefix '{}'",
                    plan.skippedBackupKeys, sourceRoot, policy.backupPrefix());
        }
        return plan;
    }

    /** The walk without files whose key lies under the backup prefix: those keys belong to the backups. */
    private Iterator<LocalFile> withoutBackupKeys(LocalTreeWalker walker, Plan plan) {
        if (!policy.backsUp()) {
            return walker;
        }
        return new Iterator<>() {
            private LocalFile next;

            @Override
            public boolean hasNext() {
                while (next == null && walker.hasNext()) {
                    LocalFile candidate = walker.next();
                    if (policy.isBackupKey(candidate.key())) {
                        plan.skippedBackupKeys++;
                    } else {
                        next = candidate;
                    }
                }
                return next != null;
            }

            @Override
            public LocalFile next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                LocalFile file = next;
                next = null;
                return file;
            }
        };
    }

    /**
     * Only objects this job would have written are candidates for deletion: not "directory" markers,
     * not keys whose local path the source filter rejects (rclone keeps excluded files too), and never
     * keys under the backup prefix, even when the job's scope is the whole bucket.
     */
    private boolean isMirrored(String key) {
        if (key.endsWith("/") || policy.isBackupKey(key)) {
            return false;
        }
        return mapper.pathFor(key).map(filter::accepts).orElse(false);
    }

    /** Listing entries read and order-checked ahead of the merge. */
    static final int LOOKAHEAD = 1000;

    /**
     * Reads a listing up to {@code window} entries ahead of the merge and checks their S3 order there, so
     * that a listing out of order is detected before the merge acts on the entries around the violation
     * (it would upload files the bucket has, as if they were new). Memory stays bounded by the window.
     */
    static final class OrderCheckedLookahead implements Iterator<RemoteObject> {
        private final Iterator<RemoteObject> source;
        private final int window;
        private final java.util.ArrayDeque<RemoteObject> ahead = new java.util.ArrayDeque<>();
        private String lastRead;

        OrderCheckedLookahead(Iterator<RemoteObject> source, int window) {
            this.source = source;
            this.window = window;
        }

        private void fill() {
            while (ahead.size() < window && source.hasNext()) {
                RemoteObject o = source.next();
                if (lastRead != null && org.autosync.keys.S3KeyOrder.INSTANCE.compare(lastRead, o.key()) >= 0) {
                    throw new UnsortedListingException(UnsortedListingException.Side.REMOTE, lastRead, o.key());
                }
                lastRead = o.key();
                ahead.addLast(o);
            }
        }

        @Override
        public boolean hasNext() {
            fill();
            return !ahead.isEmpty();
        }

        @Override
        public RemoteObject next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return ahead.removeFirst();
        }
    }

    private static final class Plan {
        final LocalTreeWalker walker;
        final List<String> deletes = new ArrayList<>();
        long unchanged;
        long localFiles;
        long inScope;
        long skippedBackupKeys;

        Plan(LocalTreeWalker walker) {
            this.walker = walker;
        }
    }
}
