package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.ScheduledPollConsumer;
import org.autosync.job.MirrorJob;

/**
 * The re-scan (file route) of a job as its own poll consumer counts it, so that a test can wait until the
 * re-scan ran instead of sleeping and hoping it did.
 */
final class Rescans {

    private Rescans() {
    }

    /** The re-scan's consumer; the route exists once the job is added, running or not. */
    static ScheduledPollConsumer consumer(CamelContext context, MirrorJob job) {
        Route route = context.getRoute(MirrorRouteTemplates.routeId(MirrorRouteTemplates.SCAN, job.id()));
        assertThat(route).as("the re-scan route of %s", job.id()).isNotNull();
        return (ScheduledPollConsumer) route.getConsumer();
    }

    /**
     * Waits until the re-scan has run {@code polls} whole polls that began after this call. The consumer
     * counts a poll when it begins and runs one at a time, so once its count is {@code polls + 1} past the
     * count now, the last of those polls has ended (and every exchange it found was created).
     *
     * @return the number of polls begun when it returned
     */
    static long awaitPolls(CamelContext context, MirrorJob job, int polls, Duration atMost) {
        ScheduledPollConsumer consumer = consumer(context, job);
        long from = consumer.getCounter();
        await().atMost(atMost).until(() -> consumer.getCounter() >= from + polls + 1);
        return consumer.getCounter();
    }

    /** Waits until {@code polls} polls in a row have failed (the consumer resets the count on a poll that works). */
    static void awaitFailedPolls(CamelContext context, MirrorJob job, int polls, Duration atMost) {
        ScheduledPollConsumer consumer = consumer(context, job);
        await().atMost(atMost).until(() -> consumer.getErrorCounter() >= polls);
    }
}
