package org.autosync.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class DebouncerTest {

    /** A scheduler on a manual clock: tasks run when the test advances time past them. */
    static final class ManualTime implements Debouncer.Scheduler {
        long now;
        private final List<long[]> due = new ArrayList<>();
        private final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void schedule(Runnable task, long delayMillis) {
            due.add(new long[] {now + delayMillis});
            tasks.add(task);
        }

        void advanceTo(long millis) {
            now = millis;
            for (boolean ran = true; ran; ) {
                ran = false;
                for (int i = 0; i < tasks.size(); i++) {
                    if (due.get(i)[0] <= now) {
                        Runnable task = tasks.remove(i);
                        due.remove(i);
                        task.run();
                        ran = true;
                        break;
                    }
                }
            }
        }

        int scheduled() {
            return tasks.size();
        }
    }

    private final ManualTime time = new ManualTime();
    private final List<String> checked = new ArrayList<>();
    private final Debouncer<String> debouncer = new Debouncer<>(() -> time.now, time, checked::add);

    @Test
    void checksOnceAtTheDueTime() {
        debouncer.arm("a", 500);
        time.advanceTo(499);
        assertThat(checked).isEmpty();
        time.advanceTo(500);
        assertThat(checked).containsExactly("a");
        assertThat(debouncer.pending()).isZero();
    }

    @Test
    void furtherEventsMoveTheCheckLaterAndStillCheckOnlyOnce() {
        debouncer.arm("a", 500);
        time.advanceTo(300);
        debouncer.arm("a", 800); // written again at 300 with settle 500
        time.advanceTo(600);
        debouncer.arm("a", 1100);
        assertThat(time.scheduled()).as("one pending task per key").isEqualTo(1);
        time.advanceTo(1099);
        assertThat(checked).isEmpty();
        time.advanceTo(1100);
        assertThat(checked).containsExactly("a");
    }

    @Test
    void anEarlierDueTimeDoesNotBringTheCheckForward() {
        debouncer.arm("a", 800);
        debouncer.arm("a", 100);
        time.advanceTo(100);
        assertThat(checked).isEmpty();
        time.advanceTo(800);
        assertThat(checked).containsExactly("a");
    }

    @Test
    void cancelledCheckDoesNotRunAndKeysAreIndependent() {
        debouncer.arm("a", 500);
        debouncer.arm("b", 500);
        debouncer.cancel("a");
        time.advanceTo(500);
        assertThat(checked).containsExactly("b");
    }

    @Test
    void aCheckMayArmAgain() {
        List<String> seen = new ArrayList<>();
        Debouncer<String>[] self = new Debouncer[1];
        self[0] = new Debouncer<>(() -> time.now, time, k -> {
            seen.add(k + "@" + time.now);
            if (seen.size() == 1) {
                self[0].arm(k, time.now + 200); // not settled yet
            }
        });
        self[0].arm("a", 0);
        time.advanceTo(0);
        time.advanceTo(200);
        assertThat(seen).containsExactly("a@0", "a@200");
    }
}
