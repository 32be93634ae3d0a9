package org.autosync.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.autosync.job.MirrorJob;
import org.autosync.job.MirrorStats;

/**
 * The meters of one job, tagged {@code job} and {@code target}; in Prometheus terms autosync_uploaded_files_total,
 * autosync_uploaded_bytes_total, autosync_deleted_objects_total, autosync_failures_total,
 * autosync_passes_total{outcome}, autosync_pending_files, autosync_lag_seconds, autosync_healthy,
 * autosync_standby and autosync_target_unavailable. They read the
 * job's own counters when scraped, so they cost nothing between scrapes.
 */
final class JobMeters implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    JobMeters(MeterRegistry registry, MirrorJob job) {
        this.registry = registry;
        Tags tags = Tags.of("job", job.id(), "target", job.actor().describe());
        counter("autosync.uploaded.files", "Files uploaded", tags, job, j -> j.stats().snapshot().uploadedFiles());
        counter("autosync.uploaded.bytes", "Bytes uploaded", tags, job, j -> j.stats().snapshot().uploadedBytes());
        counter("autosync.deleted.objects", "Objects deleted from the target", tags, job, j -> j.stats().snapshot().deleted());
        counter("autosync.failures", "Uploads and deletes that failed after retries", tags, job,
                j -> j.stats().snapshot().failed());
        for (MirrorStats.PassOutcome outcome : MirrorStats.PassOutcome.values()) {
            counter("autosync.passes", "Reconciliation passes by outcome",
                    tags.and("outcome", outcome.name().toLowerCase(Locale.ROOT)), job, j -> j.stats().passes(outcome));
        }
        gauge("autosync.pending.files", "Uploads found and not finished", null, tags, job, j -> j.pendingUploads().count());
        gauge("autosync.lag", "Age of the oldest change found and not synced yet", "seconds", tags, job,
                j -> j.pendingUploads().oldestChange().map(t -> Math.max(0, Instant.now().toEpochMilli() - t.toEpochMilli()) / 1000.0)
                        .orElse(0.0));
        gauge("autosync.healthy", "1 when the job's last pass was complete and within limits and its target is "
                + "available, else 0", null, tags, job, j -> j.health().isHealthy() ? 1 : 0);
        gauge("autosync.standby", "1 while another node leads the clustered job and this one stands by, else 0", null,
                tags, job, j -> j.leading() ? 0 : 1);
        gauge("autosync.target.unavailable", "1 while the target kept failing and uploads are held back (its circuit "
                + "breaker is open), else 0", null, tags, job, j -> j.breaker().holdsBack() ? 1 : 0);
    }

    private void counter(String name, String description, Tags tags, MirrorJob job, ToDoubleFunction<MirrorJob> value) {
        meters.add(FunctionCounter.builder(name, job, value).description(description).tags(tags).register(registry));
    }

    private void gauge(String name, String description, String unit, Tags tags, MirrorJob job,
                       ToDoubleFunction<MirrorJob> value) {
        meters.add(Gauge.builder(name, job, value).description(description).baseUnit(unit).tags(tags).register(registry));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
