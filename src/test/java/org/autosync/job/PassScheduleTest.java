package org.autosync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PassScheduleTest {

    private long now = 1_000_000;
    private final PassSchedule schedule = new PassSchedule(Duration.ofMinutes(15), () -> now);

    @Test
    void firstPassAtOnceThenOneIntervalAfterTheLastEnded() {
        assertThat(schedule.due()).isTrue();
        schedule.started();
        now += 5_000;
        schedule.succeeded();
        assertThat(schedule.untilDue()).isEqualTo(Duration.ofMinutes(15).toMillis());
    }

    @Test
    void failedPassesAreRetriedSoonerWithABackoff() {
        schedule.started();
        schedule.failed();
        assertThat(schedule.untilDue()).isEqualTo(10_000);
        schedule.started();
        schedule.failed();
        assertThat(schedule.untilDue()).isEqualTo(20_000);
        for (int i = 0; i < 10; i++) {
            schedule.started();
            schedule.failed();
        }
        assertThat(schedule.untilDue()).isEqualTo(300_000);
        schedule.started();
        schedule.succeeded();
        assertThat(schedule.untilDue()).isEqualTo(Duration.ofMinutes(15).toMillis());
    }

    @Test
    void deletesWaitingForAPassBringItWithinThirtySeconds() {
        schedule.started();
        schedule.succeeded();
        now += 60_000;
        schedule.wanted();
        assertThat(schedule.untilDue()).isEqualTo(30_000);
        now += 30_000;
        assertThat(schedule.due()).isTrue();
    }

    @Test
    void aPassAskedForWhileOneRunsComesAfterItNotAnIntervalLater() {
        schedule.started();
        now += 2_000;
        schedule.wanted(); // e.g. a delete from events failed while the pass was walking
        now += 8_000;
        schedule.succeeded();
        assertThat(schedule.untilDue()).isEqualTo(30_000);

        schedule.started();
        schedule.succeeded();
        assertThat(schedule.untilDue()).as("the next pass settled it").isEqualTo(Duration.ofMinutes(15).toMillis());
    }
}
