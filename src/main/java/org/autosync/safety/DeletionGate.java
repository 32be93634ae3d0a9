package org.autosync.safety;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.autosync.keys.KeyMapper;
import org.autosync.local.SourceFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every rule that decides whether one job deletes from its target. Deleting is the one act that destroys
 * data, so it is allowed only on the strength of complete evidence and within the job's {@link DeletePolicy}:
 * <ul>
 * <li>only objects the job would have written are candidates ({@link #isCandidate}): no directory markers,
 * nothing the source filter excludes, nothing under the backup prefix ({@link #protects});</li>
 * <li>a reconciliation pass deletes only when the local walk met no error, the target listing ran to its end
 * and the source root is still there ({@link #decidePass}), then within {@code --max_delete} and never from an
 * empty source against a filled target;</li>
 * <li>deletes that no pass approved (file-system events) fit a sliding-window limit ({@link #admit}); once it
 * trips, they are refused until a pass within limits ({@link #passWithinLimits});</li>
 * <li>a key whose file exists again when the delete is about to go is kept: the plan that named it went stale
 * (a pass plans its deletes during its walk and sends them after its uploads);</li>
 * <li>{@code --no-delete} keeps everything.</li>
 * </ul>
 * Thread-safe.
 */
public final class DeletionGate {

    private static final Logger LOG = LoggerFactory.getLogger(DeletionGate.class);

    private final String jobId;
    private final DeletePolicy policy;
    private final KeyMapper mapper;
    private final SourceFilter filter;
    private final DeleteRateLimiter eventLimit;

    public DeletionGate(String jobId, DeletePolicy policy, KeyMapper mapper, SourceFilter filter) {
        this.jobId = jobId;
        this.policy = policy;
        this.mapper = mapper;
        this.filter = filter;
        this.eventLimit = new DeleteRateLimiter(policy.maxDelete(), policy.deleteWindow());
    }

    public DeletePolicy policy() {
        return policy;
    }

    /** Whether {@code key} is a backup, which a job never deletes nor overwrites with a mirrored file. */
    public boolean protects(String key) {
        return policy.isBackupKey(key);
    }

    /**
     * Whether an object of the target listing that has no local file is this job's to delete: not a "directory"
     * marker, not a key whose local path the source filter rejects (rclone keeps excluded files too; the filter
     * includes the temp-file names), never a backup, even when the job's scope is the whole bucket.
     */
    public boolean isCandidate(String key) {
        if (key.endsWith("/") || protects(key)) {
            return false;
        }
        return mapper.pathFor(key).map(filter::accepts).orElse(false);
    }

    /** Facts about one pass: whether its evidence is complete, and what it found. */
    public record PassFacts(Path sourceRoot, boolean walkComplete, List<String> walkProblems,
                            boolean listingComplete, long inScope, long localFiles) {
    }

    /**
     * What a pass does with its planned deletes.
     *
     * @param blocked the evidence was not good enough to delete (walk error, listing incomplete, source gone)
     * @param rail    a safety rail held the deletes back (over {@code --max_delete}, empty source)
     * @param send    whether the deletes go to the target
     */
    public record PassDecision(Optional<String> blocked, Optional<String> rail, boolean send) {
    }

    /** Decides, and says in one line, whether a pass sends the {@code planned} deletes it found. */
    public PassDecision decidePass(PassFacts facts, List<String> planned) {
        String scope = mapper.scopePrefixFor(facts.sourceRoot());
        Optional<String> blocked = blockReason(facts);
        if (planned.isEmpty()) {
            return new PassDecision(blocked, Optional.empty(), false);
        }
        if (blocked.isPresent()) {
            LOG.warn("not deleting {} object(s) under '{}': {}", planned.size(), scope, blocked.get());
            return new PassDecision(blocked, Optional.empty(), false);
        }
        if (policy.noDelete()) {
            LOG.info("--no-delete: keeping {} object(s) under '{}' whose files are gone from {}",
                    planned.size(), scope, facts.sourceRoot());
            return new PassDecision(blocked, Optional.empty(), false);
        }
        Optional<String> rail = railReason(facts.sourceRoot(), planned.size(), facts.inScope(), facts.localFiles());
        rail.ifPresent(r -> LOG.warn("not deleting {} object(s) under '{}': {}", planned.size(), scope, r));
        return new PassDecision(blocked, rail, rail.isEmpty());
    }

    /**
     * A pass ended within limits: the event-delete limit counts against the objects now in scope, and a tripped
     * event limit is cleared.
     */
    public void passWithinLimits(long inScopeAfterPass) {
        eventLimit.inScope(inScopeAfterPass);
        eventLimit.reset();
    }

    /** How many objects the job holds in its scope now: the base of the event-delete limit. */
    public void objectsInScope(long inScope) {
        eventLimit.inScope(inScope);
    }

    /**
     * What may be deleted of a delete request: backups and keys whose files exist again are dropped,
     * {@code --no-delete} refuses all, and a request
     * that no pass approved must fit the event-delete limit, else it is refused whole.
     *
     * @param approvedByPass the keys come from a reconciliation pass whose {@link #decidePass} let them go
     */
    public Admission admit(List<String> keys, boolean approvedByPass) {
        List<String> unprotected = keys.stream().filter(k -> !protects(k)).toList();
        if (unprotected.size() < keys.size()) {
            LOG.warn("{}: not deleting {} key(s) under --backup_prefix '{}': backups are never deleted by a job",
                    jobId, keys.size() - unprotected.size(), policy.backupPrefix());
        }
        List<String> kept = unprotected.stream().filter(k -> !hasLocalFile(k)).toList();
        if (kept.size() < unprotected.size()) {
            LOG.info("{}: not deleting {} key(s) whose files exist again (created after the deletes were planned)",
                    jobId, unprotected.size() - kept.size());
        }
        if (kept.isEmpty()) {
            return new Admission(kept, Optional.empty(), false);
        }
        if (policy.noDelete()) {
            LOG.debug("--no-delete: not deleting {}", kept);
            return new Admission(List.of(), Optional.of("--no-delete"), false);
        }
        if (approvedByPass) {
            return new Admission(kept, Optional.empty(), false);
        }
        boolean trippedBefore = eventLimit.tripped();
        Optional<String> refused = eventLimit.tryAcquire(kept.size());
        if (refused.isEmpty()) {
            return new Admission(kept, Optional.empty(), false);
        }
        if (trippedBefore) {
            LOG.debug("{}: not deleting {}: {}", jobId, kept, refused.get());
        } else {
            LOG.warn("{}: not deleting {} and any further deletes from file-system events: {}. A reconciliation pass "
                    + "follows within 30 s and deletes what is gone if that is within --max_delete of the objects in "
                    + "scope; if these deletes are intended beyond it, raise --max_delete", jobId,
                    kept.size() == 1 ? kept.get(0) : kept.size() + " objects", refused.get());
        }
        return new Admission(List.of(), Optional.of(refused.get()), true);
    }

    /**
     * The outcome of {@link #admit}.
     *
     * @param keys        what may be deleted now
     * @param refused     why the request was refused (empty when nothing was refused)
     * @param railTripped the refusal is the event-delete limit's (the job is then held back until a pass)
     */
    public record Admission(List<String> keys, Optional<String> refused, boolean railTripped) {
    }

    /** Whether the key's file is in the source now (and in scope): then its object stays, whatever was planned. */
    private boolean hasLocalFile(String key) {
        return mapper.pathFor(key).filter(filter::accepts).map(Files::exists).orElse(false);
    }

    private Optional<String> railReason(Path sourceRoot, int deletes, long inScope, long localFiles) {
        MaxDelete max = policy.maxDelete();
        if (max.unlimited() || deletes == 0) {
            return Optional.empty();
        }
        if (localFiles == 0) {
            return Optional.of("the source " + sourceRoot + " has no files to mirror while " + inScope
                    + " object(s) are in scope, as an unmounted mount point or a wrong path would look. "
                    + "If the target really should be emptied, run with --max_delete=100%");
        }
        long allowed = max.allowed(inScope);
        if (deletes > allowed) {
            return Optional.of(deletes + " deletes of " + inScope + " objects in scope is more than --max_delete="
                    + max + " allows (" + allowed + (max.percent() != null ? ", at least " + MaxDelete.PERCENT_FLOOR : "")
                    + "). If these deletes are intended, raise it, e.g. --max_delete=" + deletes);
        }
        return Optional.empty();
    }

    private static Optional<String> blockReason(PassFacts facts) {
        if (!facts.walkComplete()) {
            List<String> problems = facts.walkProblems();
            return Optional.of("the walk of " + facts.sourceRoot() + " met " + problems.size() + " error(s), first: "
                    + (problems.isEmpty() ? "unknown" : problems.get(0)));
        }
        if (!facts.listingComplete()) {
            return Optional.of("the target listing did not complete");
        }
        if (!Files.isDirectory(facts.sourceRoot())) {
            return Optional.of("the source " + facts.sourceRoot() + " is no longer a readable directory");
        }
        return Optional.empty();
    }
}
