package org.autosync.safety;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The last check before a reconciliation pass deletes anything. Deleting is the one act that destroys
 * data, so it is allowed only on the strength of complete evidence: the local walk met no error, the
 * target listing ran to its end, and the source root is still there after the walk (an unmounted or
 * removed source must never read as "everything was deleted"). Beyond the evidence, the job's
 * {@link DeletePolicy} has the last word: {@code --no-delete}, and the rails of {@code --max_delete}
 * and of an empty source against a filled target.
 */
public final class DeletionGate {

    private final DeletePolicy policy;

    public DeletionGate(DeletePolicy policy) {
        this.policy = policy;
    }

    public DeletePolicy policy() {
        return policy;
    }

    /**
     * The safety rails of one pass whose evidence is complete.
     *
     * @param deletes    deletes the pass planned
     * @param inScope    in-scope, in-filter objects of the listing
     * @param localFiles files the walk found
     * @return why the deletes are held back, or empty when they may go
     */
    public Optional<String> railReason(Path sourceRoot, int deletes, long inScope, long localFiles) {
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

    /** Facts about one pass. */
    public record PassFacts(Path sourceRoot, boolean walkComplete, List<String> walkProblems,
                            boolean listingComplete) {
    }

    /** @return the reason deletes are blocked for this pass, or empty when they may proceed */
    public Optional<String> blockReason(PassFacts facts) {
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
