package org.autosync.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.autosync.keys.KeyMapper;
import org.autosync.local.SourceFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeletionGateTest {

    @TempDir
    Path source;

    private DeletionGate gate(String maxDelete, boolean noDelete, String backupPrefix) {
        return new DeletionGate("j", new DeletePolicy(noDelete, MaxDelete.parse(maxDelete), backupPrefix,
                DeletePolicy.DEFAULT_WINDOW), new KeyMapper(source.toString(), "m"), SourceFilter.compile("^.*\\.txt$"));
    }

    private DeletionGate.PassFacts complete(long inScope, long localFiles) {
        return new DeletionGate.PassFacts(source, true, List.of(), true, inScope, localFiles);
    }

    @Test
    void onlyObjectsTheJobWouldHaveWrittenAreCandidates() {
        DeletionGate gate = gate("50%", false, "backup");
        assertThat(gate.isCandidate("m/a.txt")).isTrue();
        assertThat(gate.isCandidate("m/dir/")).as("a directory marker").isFalse();
        assertThat(gate.isCandidate("m/a.bin")).as("excluded by the source filter").isFalse();
        assertThat(gate.isCandidate("other/a.txt")).as("outside the job's prefix").isFalse();
        assertThat(gate.isCandidate("backup/m/a.txt")).as("a backup").isFalse();
    }

    @Test
    void passWithCompleteEvidenceWithinLimitsSendsItsDeletes() {
        DeletionGate.PassDecision decision = gate("50%", false, "").decidePass(complete(100, 90), List.of("m/a.txt"));
        assertThat(decision.send()).isTrue();
        assertThat(decision.blocked()).isEmpty();
        assertThat(decision.rail()).isEmpty();
    }

    @Test
    void walkErrorBlocksEveryDeleteOfThePass() {
        DeletionGate.PassFacts facts = new DeletionGate.PassFacts(source, false, List.of("cannot list d: denied"), true, 10, 9);
        DeletionGate.PassDecision decision = gate("100%", false, "").decidePass(facts, List.of("m/a.txt"));
        assertThat(decision.send()).isFalse();
        assertThat(decision.blocked()).get().asString().contains("cannot list d: denied");
    }

    @Test
    void vanishedSourceRootBlocksDeletes() throws Exception {
        Files.delete(source);
        DeletionGate.PassDecision decision = gate("100%", false, "").decidePass(complete(10, 9), List.of("m/a.txt"));
        assertThat(decision.send()).isFalse();
        assertThat(decision.blocked()).get().asString().contains("no longer a readable directory");
    }

    @Test
    void emptySourceAgainstAFilledTargetTripsTheRail() {
        DeletionGate.PassDecision decision = gate("50%", false, "").decidePass(complete(40, 0),
                List.of("m/a.txt", "m/b.txt"));
        assertThat(decision.send()).isFalse();
        assertThat(decision.rail()).get().asString().contains("has no files to mirror");
    }

    @Test
    void moreDeletesThanMaxDeleteAllowsTripTheRail() {
        List<String> planned = java.util.stream.IntStream.range(0, 30).mapToObj(i -> "m/" + i + ".txt").toList();
        DeletionGate.PassDecision decision = gate("50%", false, "").decidePass(complete(40, 10), planned);
        assertThat(decision.send()).isFalse();
        assertThat(decision.rail()).get().asString().contains("30 deletes of 40 objects in scope");
    }

    @Test
    void noDeleteKeepsEverythingWithoutTrippingARail() {
        DeletionGate gate = gate("50%", true, "");
        assertThat(gate.decidePass(complete(10, 9), List.of("m/a.txt")).send()).isFalse();
        DeletionGate.Admission admission = gate.admit(List.of("m/a.txt"), true);
        assertThat(admission.keys()).isEmpty();
        assertThat(admission.refused()).contains("--no-delete");
        assertThat(admission.railTripped()).isFalse();
    }

    @Test
    void backupsAreNeverAdmitted() {
        DeletionGate.Admission admission = gate("100%", false, "backup").admit(List.of("backup/m/a.txt", "m/b.txt"), true);
        assertThat(admission.keys()).containsExactly("m/b.txt");
    }

    @Test
    void eventDeletesOverTheLimitTripUntilAPassWithinLimits() {
        DeletionGate gate = gate("2", false, "");
        gate.passWithinLimits(10);
        assertThat(gate.admit(List.of("m/a.txt", "m/b.txt"), false).keys()).hasSize(2);
        DeletionGate.Admission over = gate.admit(List.of("m/c.txt"), false);
        assertThat(over.keys()).isEmpty();
        assertThat(over.railTripped()).isTrue();
        assertThat(gate.admit(List.of("m/d.txt"), true).keys()).as("a pass's approved batch still goes").hasSize(1);

        gate.passWithinLimits(8);
        assertThat(gate.admit(List.of("m/c.txt"), false).keys()).containsExactly("m/c.txt");
    }

    @Test
    void keyWhoseFileExistsAgainIsNotAdmitted() throws Exception {
        Files.writeString(source.resolve("back.txt"), "created after the plan");
        Files.writeString(source.resolve("skipped.bin"), "out of scope");
        DeletionGate.Admission admission = gate("100%", false, "")
                .admit(List.of("m/back.txt", "m/gone.txt", "m/skipped.bin"), true);
        assertThat(admission.keys()).containsExactly("m/gone.txt", "m/skipped.bin");
    }
}
