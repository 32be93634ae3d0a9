package org.autosync.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class DeleteRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private DeleteRateLimiter limiter(String max) {
        return new DeleteRateLimiter(MaxDelete.parse(max), Duration.ofSeconds(60), now::get);
    }

    private int permitted(DeleteRateLimiter limiter, int singles) {
        int ok = 0;
        for (int i = 0; i < singles; i++) {
            if (limiter.tryAcquire(1).isEmpty()) {
                ok++;
            }
        }
        return ok;
    }

    @Test
    void aBurstOfSingleDeletesStopsAtTheLimitAndStaysStopped() {
        DeleteRateLimiter limiter = limiter("50%");
        limiter.inScope(100);

        assertThat(permitted(limiter, 100)).isEqualTo(50);
        assertThat(limiter.tripped()).isTrue();

        now.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat(limiter.tryAcquire(1)).as("a tripped rail holds after the window").isPresent()
                .get().asString().contains("reconciliation pass");
    }

    @Test
    void deletesSpreadOverTimeOnlyCountWithinTheWindow() {
        DeleteRateLimiter limiter = limiter("5");
        for (int minute = 0; minute < 10; minute++) {
            assertThat(permitted(limiter, 5)).as("minute " + minute).isEqualTo(5);
            now.addAndGet(Duration.ofSeconds(60).toNanos());
        }
        assertThat(limiter.tripped()).isFalse();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(permitted(limiter, 3)).isEqualTo(3);
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(permitted(limiter, 3)).as("the window slides: 3 of the last 59 s still count").isEqualTo(2);
    }

    @Test
    void aRequestOverTheLimitIsRefusedWholeAndSaysWhy() {
        DeleteRateLimiter limiter = limiter("50%");
        limiter.inScope(40);
        assertThat(limiter.tryAcquire(19)).isEmpty();
        assertThat(limiter.tryAcquire(2)).get().asString()
                .contains("21 deletes within 60 s", "--max_delete=50%", "20 of 40 objects in scope");
    }

    @Test
    void beforeTheInScopeCountIsKnownAPercentageAllowsItsFloor() {
        assertThat(permitted(limiter("50%"), 30)).isEqualTo(10);
    }

    @Test
    void resetByAPassWithinLimitsOpensItAgain() {
        DeleteRateLimiter limiter = limiter("2");
        assertThat(permitted(limiter, 5)).isEqualTo(2);
        limiter.reset();
        assertThat(limiter.tripped()).isFalse();
        assertThat(permitted(limiter, 5)).isEqualTo(2);
    }

    @Test
    void hundredPercentNeverRefuses() {
        assertThat(permitted(limiter("100%"), 1000)).isEqualTo(1000);
    }
}
