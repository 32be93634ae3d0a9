package org.autosync.safety;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The last check before a reconciliation pass deletes anything. Deleting is the one act that destroys
 * data, so it is allowed only on the strength of complete evidence: the local walk met no error, the
 * target listing ran to its end, and the source root is still there after the walk (an unmounted or
 * removed source must never read as "everything was deleted").
 */
public final class DeletionGate {

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
