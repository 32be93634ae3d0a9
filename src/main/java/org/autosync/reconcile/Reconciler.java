package org.autosync.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.autosync.keys.KeyMapper;
import org.autosync.local.LocalFile;
import org.autosync.local.LocalTreeWalker;
import org.autosync.local.SettleRule;
import org.autosync.local.SourceFilter;
import org.autosync.safety.DeletionGate;
import org.autosync.state.StateUnavailableException;
import org.autosync.state.SyncState;
import org.autosync.targets.Actor;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One full pass of a job: the sorted local walk merged with the sorted target listing of the job's
 * scope. Uploads of new and changed files go out while the merge runs. Deletes wait until both sides
 * were read to the end and the {@link DeletionGate} agrees (complete evidence, {@code --no-delete},
 * {@code --max_delete}, an empty source). Files still being written are left for later: the file
 * route takes them in continuous mode; a one-shot pass waits for them.
 * <p>
 * A listing that turns out not to be in S3 order is read again and sorted in memory instead (the
 * original actor's {@code already_sorted = False}), from then on for every pass of this job. Until
 * the merge has run to its end without such a surprise, it does not act on "this file's object is
 * missing" for files the state says were uploaded: in a listing out of order that is exactly what a
 * present object looks like.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Path sourceRoot;
    private final String scopePrefix;
    private final KeyMapper mapper;
    private final SourceFilter filter;
    private final boolean followSymlinks;
    private final Actor actor;
    private final ChangeDetector changes;
    private final DeletionGate gate;
    private final SettleRule settle;
    private final Duration unsettledWait;
    private volatile boolean sortListings;

    /**
     * @param settle        when a file counts as completely written
     * @param unsettledWait how long a pass waits at most for files still being written (zero: skip them)
     */
    public Reconciler(Path sourceRoot, KeyMapper mapper, SourceFilter filter, boolean followSymlinks, Actor actor,
                      ChangeDetector changes, DeletionGate gate, SettleRule settle,
                      Duration unsettledWait) {
        this.sourceRoot = sourceRoot;
        this.scopePrefix = mapper.scopePrefixFor(sourceRoot);
        this.mapper = mapper;
        this.filter = filter;
        this.followSymlinks = followSymlinks;
        this.actor = actor;
        this.changes = changes;
        this.gate = gate;
        this.settle = settle;
        this.unsettledWait = unsettledWait;
    }

    /**
     * What a pass found. {@code deletes} are the planned ones; they went to the delete route only if
     * {@code deletesSent}.
     *
     * @param deleteBlockReason why the evidence was not good enough to delete (walk error, source gone)
     * @param inScope           the in-scope, in-filter objects of the listing (the base of {@code --max_delete})
     * @param railTripped       why a safety rail held the deletes back (over {@code --max_delete}, empty source)
     * @param unsettled         files still being written at the end of the pass: not uploaded, and their
     *                          objects not deleted
     * @param notMirrored       files the pass could not mirror and went on without, one line each (a name that is
     *                          not valid UTF-8, an object that could not be compared); their objects are not deleted
     */
    public record PassResult(long unchanged, List<String> deletes, Optional<String> deleteBlockReason, long inScope,
                             Optional<String> railTripped, boolean deletesSent, List<LocalFile> unsettled,
                             List<String> notMirrored) {
    }

    public PassResult pass(Transfers transfers) throws InterruptedException {
        Plan firstTry;
        try {
            firstTry = merge(transfers, sortListings);
        } catch (UnsortedListingException e) {
            if (e.side() != UnsortedListingException.Side.REMOTE) {
                throw e;
            }
            LOG.warn("{} lists keys out of S3 order ({}); sorting its listings in memory from now on",
                    actor.describe(), e.getMessage());
            sortListings = true;
            transfers.awaitUploads();
            firstTry = merge(transfers, true);
        }
        Plan plan = firstTry;
        List<String> notMirrored = notMirrored(plan);
        plan.objectsMissing.forEach(local -> transfers.upload(local, "missing in target"));
        List<LocalFile> unsettled = uploadOnceSettled(plan.unsettled, transfers);
        transfers.awaitUploads();

        DeletionGate.PassDecision decision = gate.decidePass(new DeletionGate.PassFacts(sourceRoot, plan.walker.complete(),
                plan.walker.problems(), plan.listingComplete, plan.inScope, plan.localFiles), plan.deletes);
        boolean send = decision.send();
        if (send) {
            for (int from = 0; from < plan.deletes.size(); from += Transfers.DELETE_BATCH) {
                transfers.delete(plan.deletes.subList(from, Math.min(plan.deletes.size(), from + Transfers.DELETE_BATCH)));
            }
        }
        if (plan.skippedBackupKeys > 0) {
            LOG.warn("{} file(s) under {} map to keys under the backup prefix '{}' and are not uploaded",
                    plan.skippedBackupKeys, sourceRoot, gate.policy().backupPrefix());
        }
        return new PassResult(plan.unchanged, plan.deletes, decision.blocked(), plan.inScope, decision.rail(), send,
                unsettled, notMirrored);
    }

    /**
     * The files the merge went on without, reported in one WARN line; an object whose file has no faithful key
     * is kept, since its file may well be there.
     */
    private List<String> notMirrored(Plan plan) {
        List<String> lines = new ArrayList<>(plan.notCompared);
        Set<String> unmappableKeys = new HashSet<>();
        for (Path path : plan.walker.unmappable()) {
            unmappableKeys.add(mapper.keyFor(path));
            lines.add(path + ": its name is not valid UTF-8, so it has no key; rename it to mirror it");
        }
        plan.deletes.removeIf(unmappableKeys::contains);
        if (!lines.isEmpty()) {
            LOG.warn("{} file(s) under {} not mirrored by this pass, first: {}", lines.size(), sourceRoot, lines.get(0));
        }
        return lines;
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
                    transfers.upload(now, changes.localChange(now.key(), now.size(), now.mtimeMillis())
                            .orElse("missing in target"));
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
        try (SyncState.PassReads reads = changes.passReads(); RemoteListing listing = actor.list(scopePrefix)) {
            Iterator<RemoteObject> remote = sortListing || !listing.alreadySorted()
                    ? SortedMerge.sortedCopy(listing) : listing;
            SortedMerge.merge(walker, remote, new MergeListener() {
                @Override
                public void onlyLocal(LocalFile local) {
                    if (gate.protects(local.key())) {
                        plan.skippedBackupKeys++; // a backup is never overwritten by a mirrored file
                        return;
                    }
                    plan.localFiles++;
                    if (!settle.isSettled(local.mtimeMillis())) {
                        plan.unsettled.add(new Unsettled(local, null));
                        return;
                    }
                    Optional<String> reason = changes.localChange(local.key(), local.size(), local.mtimeMillis());
                    if (reason.isPresent()) {
                        transfers.upload(local, reason.get());
                    } else {
                        plan.objectsMissing.add(local);
                    }
                }

                @Override
                public void onlyRemote(RemoteObject remote) {
                    if (gate.isCandidate(remote.key())) {
                        plan.inScope++;
                        plan.deletes.add(remote.key());
                    }
                }

                @Override
                public void both(LocalFile local, RemoteObject remote) {
                    if (gate.protects(local.key())) {
                        plan.skippedBackupKeys++;
                        return;
                    }
                    plan.localFiles++;
                    plan.inScope++;
                    if (!settle.isSettled(local.mtimeMillis())) {
                        plan.unsettled.add(new Unsettled(local, remote)); // present: its object is not deleted
                        return;
                    }
                    Optional<String> reason;
                    try {
                        reason = changes.uploadReason(local, remote);
                    } catch (StateUnavailableException e) {
                        throw e; // not one file's problem: the whole pass fails, and deletes nothing
                    } catch (RuntimeException e) {
                        // one object that cannot be compared (a HEAD that failed) must not end the whole pass
                        plan.notCompared.add(local.path() + ": cannot compare with its object: " + actor.explain(e));
                        return;
                    }
                    if (reason.isPresent()) {
                        transfers.upload(local, reason.get());
                    } else {
                        plan.unchanged++;
                    }
                }
            });
            // the merge reads both sides to their ends; a listing it left unread must not count as complete
            plan.listingComplete = !remote.hasNext();
        }
        return plan;
    }

    /** A file still being written when the merge saw it, and its object if there is one. */
    private record Unsettled(LocalFile local, RemoteObject remote) {
    }

    private static final class Plan {
        final LocalTreeWalker walker;
        final List<String> deletes = new ArrayList<>();
        final List<Unsettled> unsettled = new ArrayList<>();
        /** Uploaded before, unchanged, but not in the listing: uploaded once the merge completed. */
        final List<LocalFile> objectsMissing = new ArrayList<>();
        final List<String> notCompared = new ArrayList<>();
        long unchanged;
        long localFiles;
        long inScope;
        long skippedBackupKeys;
        boolean listingComplete;

        Plan(LocalTreeWalker walker) {
            this.walker = walker;
        }
    }
}
