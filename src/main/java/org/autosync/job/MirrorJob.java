package org.autosync.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.autosync.errors.Causes;
import org.autosync.local.LocalFile;
import org.autosync.local.SourceUnavailableException;
import org.autosync.reconcile.ChangeDetector;
import org.autosync.reconcile.Reconciler;
import org.autosync.reconcile.Transfers;
import org.autosync.safety.DeletionGate;
import org.autosync.state.StateUnavailableException;
import org.autosync.state.SyncState;
import org.autosync.targets.Actor;
import org.autosync.targets.MultipartJournal;
import org.autosync.watch.WatchStarter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync job (a source directory mirrored into one target) and its lifecycle: starting it opens its sync
 * state, stopping it stops its watcher, closes what it owns and then the state. It holds the pieces every
 * step of the job shares (the upload rule, the delete gate, the counters, the health) and runs the
 * reconciliation passes, sending their uploads and deletes through the {@link Transfers} it is connected to
 * (the job's routes, see {@code org.autosync.routes}).
 */
public final class MirrorJob extends ServiceSupport implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorJob.class);
    private static final JobHealth STANDBY = new JobHealth(JobHealth.Status.STANDBY, "another node leads the job", Instant.now());

    private final JobSpec spec;
    private final Actor actor;
    private final SyncState state;
    private final ChangeDetector changes;
    private final DeletionGate gate;
    private final Reconciler reconciler;
    private final MirrorStats stats = new MirrorStats();
    private final AtomicLong refusedDeletes = new AtomicLong();
    private final List<AutoCloseable> ownedResources = new CopyOnWriteArrayList<>();
    private final PendingUploads pendingUploads = new PendingUploads();
    private CamelContext camelContext;
    private Transfers transfers;
    private WatchStarter watchStarter = WatchStarter.directoryWatcher();
    private SourceWatcher watcher;
    private volatile JobHealth health = JobHealth.healthy();
    /** {@link JobHealth.Status#TARGET_UNAVAILABLE} while the breaker is open, else null. */
    private volatile JobHealth targetHealth;
    private volatile TargetBreaker breaker;
    private volatile boolean lastPassIncomplete;
    private volatile boolean stopping;
    private volatile boolean firstPassDone;
    private volatile PassStart currentPass;
    private final PassSchedule schedule;
    private final Leadership leadership;

    public MirrorJob(JobSpec spec, Actor actor, SyncState state) {
        this(spec, actor, state, false);
    }

    /**
     * @param clustered whether the job runs on several nodes, only the leader mirroring: it then starts as a standby
     *                  and sends nothing to its target until {@link #leadershipTaken()}
     */
    public MirrorJob(JobSpec spec, Actor actor, SyncState state, boolean clustered) {
        this.spec = spec;
        this.leadership = new Leadership(clustered);
        this.actor = clustered ? new LeaderOnlyActor(actor, spec.id(), this::leading) : actor;
        this.state = state;
        this.changes = new ChangeDetector(state, this.actor, !spec.dryRun());
        this.schedule = new PassSchedule(spec.reconcileInterval(), System::currentTimeMillis);
        this.gate = new DeletionGate(spec.id(), spec.deletes(), spec.mapper(), spec.filter());
        this.reconciler = new Reconciler(spec.source(), spec.mapper(), spec.filter(), spec.followSymlinks(), this.actor,
                changes, gate, spec.settleRule(), spec.unsettledWait());
        breakerSettings(TargetBreaker.Settings.defaults());
    }

    @Override
    protected void doStart() {
        ServiceHelper.startService(state);
        if (leadership.claimed()) {
            useJournal();
        }
        // after a restart, deletes from events count against what the job recorded, not against an unknown number
        try {
            gate.objectsInScope(recordedInScope());
        } catch (StateUnavailableException e) {
            // the state said so once; event deletes need it too, and the first pass that can read it sets the count
            health(JobHealth.Status.DELETES_BLOCKED, e.getMessage());
        }
    }

    /** Aborts the multipart uploads the journal holds (requests to the target: the leader's act only). */
    private void useJournal() {
        if (!spec.dryRun() && state instanceof MultipartJournal journal) {
            actor.useJournal(journal);
        }
    }

    @Override
    protected void doStop() {
        synchronized (this) {
            if (watcher != null) {
                watcher.stop();
            }
        }
        // an upload the actor aborts on close leaves the journal, which closes with the state
        for (AutoCloseable resource : ownedResources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.debug("{}: closing {} failed", spec.id(), resource, e);
            }
        }
        ServiceHelper.stopService(state);
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** Where the job's uploads and deletes go (its routes); set once, before the first pass. */
    public synchronized void connect(Transfers routes) {
        this.transfers = routes;
    }

    public synchronized Transfers transfers() {
        if (transfers == null) {
            throw new IllegalStateException("job " + spec.id() + " is not connected to its routes");
        }
        return transfers;
    }

    /** Closes {@code resource} (e.g. an actor the job owns) when the job stops, before its sync state closes. */
    public void closeOnStop(AutoCloseable resource) {
        ownedResources.add(resource);
    }

    public String id() {
        return spec.id();
    }

    public JobSpec spec() {
        return spec;
    }

    public Actor actor() {
        return actor;
    }

    public SyncState state() {
        return state;
    }

    /** The one rule that decides whether a file needs uploading. */
    public ChangeDetector changes() {
        return changes;
    }

    /** Every rule that decides whether the job deletes. */
    public DeletionGate gate() {
        return gate;
    }

    public MirrorStats stats() {
        return stats;
    }

    /**
     * Shutdown, first step: a running reconciliation pass sends no further upload or delete and ends
     * (uploads already sent finish, or are aborted when the shutdown times out). The routes themselves are
     * stopped by the runtime.
     */
    public void stopTakingWork() {
        stopping = true;
    }

    public boolean stopping() {
        return stopping;
    }

    // Leadership

    /** Whether the job runs on several nodes, only the leader mirroring (the {@code cluster} parameter). */
    public boolean clustered() {
        return leadership.clustered();
    }

    /**
     * Whether this node mirrors the job now: false while a clustered job is a standby, and also once its leadership
     * was not confirmed for a while ({@link #leaseUntil}), e.g. in the first moments after the process was paused,
     * before the check that notices the pause has run.
     */
    public boolean leading() {
        return leadership.held();
    }

    /** A clustered job's view of its leadership was checked just now: it holds until {@code millis} (epoch ms). */
    public void leaseUntil(long millis) {
        leadership.leaseUntil(millis);
    }

    /**
     * This node became the leader of the clustered job: it sends again, and its first act is a full reconciliation
     * pass (due at once), which starts the watcher and the re-scan again.
     */
    public synchronized void leadershipTaken() {
        if (leadership.claimed() || !leadership.clustered()) {
            return;
        }
        useJournal();
        gate.objectsInScope(recordedInScope());
        firstPassDone = false;
        schedule.now();
        leadership.take();
        LOG.info("{}: this node leads the job now; a full reconciliation pass comes first", spec.id());
    }

    /**
     * This node no longer leads the clustered job (session or lock lost, or the process was paused): from now on
     * nothing is sent to the target, and the watcher stops (the caller stops the re-scan route). Uploads already
     * sent may finish.
     *
     * @return whether this node led the job until now
     */
    public synchronized boolean leadershipLost(String why) {
        if (!leadership.lose()) {
            return false;
        }
        LOG.warn("{}: not the leader any more ({}); sending nothing, standing by", spec.id(), why);
        if (watcher != null) {
            watcher.stop();
        }
        return true;
    }

    // Health

    /**
     * Whether the job is doing its work: unhealthy while deletes are blocked (source unavailable, walk
     * or listing incomplete) or held back by a safety rail, until a later complete pass within limits;
     * and while its target is unavailable ({@link #breaker()} open), whatever the last pass said.
     */
    public JobHealth health() {
        if (!leadership.claimed()) {
            return STANDBY;
        }
        JobHealth target = targetHealth;
        return target != null ? target : health;
    }

    /** The circuit breaker of the job's target (see {@link TargetBreaker}), bean {@code <job>-breaker}. */
    public TargetBreaker breaker() {
        return breaker;
    }

    /** How soon the job backs off a failing target and for how long; set before the job's routes are added. */
    public void breakerSettings(TargetBreaker.Settings settings) {
        breaker = new TargetBreaker(spec.id(), actor, settings,
                why -> targetHealth = new JobHealth(JobHealth.Status.TARGET_UNAVAILABLE, why, Instant.now()),
                () -> targetHealth = null);
    }

    private void health(JobHealth.Status status, String reason) {
        JobHealth now = health;
        if (now.status() != status || !now.reason().equals(reason)) {
            health = new JobHealth(status, reason, Instant.now());
        }
    }

    /** Deletes the delete route refused (--no-delete aside): over the event-delete limit, or after it tripped. */
    public long refusedDeletes() {
        return refusedDeletes.get();
    }

    /** The event-delete limit refused {@code count} deletes: the job is held back until a pass within limits. */
    public void eventDeletesRefused(int count, String reason) {
        refusedDeletes.addAndGet(count);
        health(JobHealth.Status.RAIL_TRIPPED, "event deletes held back: " + reason);
        schedule.wanted();
    }

    /** Deletes the target failed, or that could not be sent: the next pass decides them, soon. */
    public void deletesNotDone(int count) {
        LOG.debug("{}: {} delete(s) not done; a reconciliation pass follows within {} s", spec.id(), count,
                schedule.untilDue() / 1000);
        schedule.wanted();
    }

    /** A watcher event would have deleted, but the source root is gone or replaced: nothing is deleted. */
    void eventDeletesBlocked(String reason) {
        String why = "deletes from events held back: " + reason;
        if (health.status() != JobHealth.Status.DELETES_BLOCKED || !health.reason().equals(why)) {
            LOG.warn("{}: not deleting on file-system events: {}; the reconciliation decides once the source is back",
                    spec.id(), reason);
        }
        health(JobHealth.Status.DELETES_BLOCKED, why);
    }

    // Watching

    /** How the job watches its source (default: the directory-watcher library); set before the first pass. */
    public synchronized void watchStarter(WatchStarter starter) {
        this.watchStarter = starter;
    }

    /** Whether file-system events are being watched right now (continuous mode with --watch=events). */
    public synchronized boolean watching() {
        return watcher != null && watcher.watching();
    }

    /** Whether --watch=events could not be set up (e.g. the inotify limits) and the job polls instead. */
    public synchronized boolean watchFellBack() {
        return watcher != null && watcher.fellBack();
    }

    /** Why --watch=events fell back to polling; empty if it did not. */
    public synchronized String watchFallBackReason() {
        return watcher == null ? "" : watcher.fallBackReason();
    }

    private synchronized void ensureWatching() {
        if (watcher == null) {
            watcher = new SourceWatcher(this, watchStarter);
        }
        watcher.ensureWatching(camelContext);
    }

    /** Uploads found (by a pass, the re-scan or the watcher) and not finished yet. */
    public PendingUploads pendingUploads() {
        return pendingUploads;
    }

    // Passes

    /** Whether the last reconciliation pass could not finish its work (its deletes were held back). */
    public boolean lastPassIncomplete() {
        return lastPassIncomplete;
    }

    /** Whether the next reconciliation pass of a continuous job is due (see {@link PassSchedule}). */
    public boolean passDue() {
        return leading() && schedule.due();
    }

    /** Whether a reconciliation pass ran to its end at least once (the initial sync is done). */
    public boolean firstPassDone() {
        return firstPassDone;
    }

    /** When the reconciliation pass running now started, with the counters then; empty between passes. */
    public Optional<PassStart> currentPass() {
        return Optional.ofNullable(currentPass);
    }

    /** The start of a reconciliation pass. */
    public record PassStart(Instant at, MirrorStats.Snapshot stats) {
    }

    /**
     * One full reconciliation pass against the target listing, its actions sent through the job's transfers;
     * in continuous mode with events, it (re)starts the watcher first.
     */
    public Reconciler.PassResult pass() throws InterruptedException {
        if (!leading()) {
            throw new NotLeadingException(spec.id());
        }
        if (spec.watchesEvents() && !spec.dryRun()) {
            ensureWatching();
        }
        currentPass = new PassStart(Instant.now(), stats.snapshot());
        schedule.started();
        try {
            Reconciler.PassResult result = reconciler.pass(transfers());
            stats.unchanged(result.unchanged());
            stats.failed(result.notMirrored().size());
            reportUnsettled(result.unsettled());
            lastPassIncomplete = result.deleteBlockReason().isPresent();
            // the objects the job holds now: what the listing showed is stale after a first sync into an empty bucket
            long inScopeAfter = recordedInScope();
            if (result.deleteBlockReason().isPresent()) {
                gate.objectsInScope(inScopeAfter);
                health(JobHealth.Status.DELETES_BLOCKED, result.deleteBlockReason().get());
                stats.passEnded(MirrorStats.PassOutcome.DELETES_BLOCKED);
            } else if (result.railTripped().isPresent()) {
                gate.objectsInScope(inScopeAfter);
                health(JobHealth.Status.RAIL_TRIPPED, result.railTripped().get());
                stats.passEnded(MirrorStats.PassOutcome.RAIL_TRIPPED);
            } else {
                gate.passWithinLimits(inScopeAfter);
                health(JobHealth.Status.HEALTHY, "");
                stats.passEnded(MirrorStats.PassOutcome.COMPLETE);
            }
            firstPassDone = true;
            schedule.succeeded();
            return result;
        } finally {
            currentPass = null;
        }
    }

    private long recordedInScope() {
        return state.countUnder(spec.scopePrefix());
    }

    /** A pass ended with {@code failure}: one line in the target's own terms instead of a stack trace. */
    public void passFailed(Exception failure) {
        lastPassIncomplete = true;
        if (stopping || Causes.find(Transfers.Stopping.class, failure).isPresent()) {
            LOG.info("{}: reconciliation pass stopped for shutdown; nothing more sent, nothing deleted", spec.id());
            return;
        }
        if (!leading() || Causes.find(NotLeadingException.class, failure).isPresent()) {
            LOG.info("{}: reconciliation pass stopped: this node does not lead the job; nothing more sent", spec.id());
            return;
        }
        stats.passEnded(MirrorStats.PassOutcome.FAILED);
        schedule.failed();
        Optional<SourceUnavailableException> gone = Causes.find(SourceUnavailableException.class, failure);
        Optional<StateUnavailableException> noState = Causes.find(StateUnavailableException.class, failure);
        String why;
        if (noState.isPresent()) {
            why = noState.get().getMessage(); // the state's own WARN said it, once per outage
            LOG.debug("{}: reconciliation failed, nothing deleted: {}", spec.id(), why);
        } else if (gone.isPresent()) {
            why = "the source is not available (" + gone.get().getMessage() + ")";
            LOG.warn("{}: reconciliation skipped, nothing deleted: {}", spec.id(), why);
        } else {
            String explained = failure == null ? "unknown error" : actor.explain(failure);
            why = "reconciliation with " + actor.describe() + " failed: " + explained;
            LOG.warn("{}: reconciliation with {} failed, nothing deleted: {}", spec.id(), actor.describe(), explained);
        }
        health(JobHealth.Status.DELETES_BLOCKED, why);
    }

    /**
     * Files still being written at the end of a pass: in continuous mode the file route uploads them once
     * they settle; a one-shot pass waited for them in vain, so they count as failures.
     */
    private void reportUnsettled(List<LocalFile> unsettled) {
        if (unsettled.isEmpty()) {
            return;
        }
        if (spec.continuous()) {
            SourceWatcher w;
            synchronized (this) {
                w = watcher;
            }
            unsettled.forEach(f -> {
                if (w != null && w.recheck(f.path())) {
                    LOG.debug("{} is still being written; uploaded once it settles", f.key());
                } else {
                    LOG.debug("{} is still being written; the file route uploads it once it settles", f.key());
                }
            });
            return;
        }
        long now = System.currentTimeMillis();
        unsettled.forEach(f -> LOG.warn("{}: {} is still being written (modified {} ms ago, settle time {} ms, waited up to {} ms); "
                + "not uploaded", spec.id(), f.path(), now - f.mtimeMillis(), spec.settleTime().toMillis(),
                spec.unsettledWait().toMillis()));
        stats.failed(unsettled.size());
    }

}
