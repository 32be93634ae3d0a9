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
    private volatile boolean sortListings;

    public Reconciler(Path sourceRoot, KeyMapper mapper, SourceFilter filter, boolean followSymlinks,
                      Actor actor, SyncState state, ChangeDetector changes, DeletionGate gate) {
        this.sourceRoot = sourceRoot;
        this.scopePrefix = mapper.scopePrefixFor(sourceRoot);
        this.mapper = mapper;
        this.filter = filter;
        this.followSymlinks = followSymlinks;
        this.actor = actor;
        this.state = state;
        this.changes = changes;
        this.gate = gate;
    }

    /** What a pass found; deletes are the planned ones, sent only if {@code deleteBlockReason} is empty. */
    public record PassResult(long unchanged, List<String> deletes, Optional<String> deleteBlockReason) {
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
        return new PassResult(plan.unchanged, plan.deletes, blocked);
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
     * and not keys whose local path the source filter rejects (rclone keeps excluded files too).
     */
    private boolean isMirrored(String key) {
        if (key.endsWith("/")) {
            return false;
        }
        return mapper.pathFor(key).map(filter::accepts).orElse(false);
    }

    private static final class Plan {
        final LocalTreeWalker walker;
        final List<String> deletes = new ArrayList<>();
        long unchanged;

        Plan(LocalTreeWalker walker) {
            this.walker = walker;
        }
    }
}
