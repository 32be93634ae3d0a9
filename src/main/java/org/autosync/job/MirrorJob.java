package org.autosync.job;

import java.io.File;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.model.Model;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.autosync.local.LocalFile;
import org.autosync.local.LocalTreeWalker;
import org.autosync.local.SettleRule;
import org.autosync.local.SourceUnavailableException;
import org.autosync.reconcile.ChangeDetector;
import org.autosync.reconcile.Reconciler;
import org.autosync.reconcile.Transfers;
import org.autosync.routes.AutosyncHeaders;
import org.autosync.routes.FileFingerprint;
import org.autosync.routes.JobRoutes;
import org.autosync.routes.MirrorRouteTemplates;
import org.autosync.routes.RouteTransfers;
import org.autosync.routes.SourceFileFilter;
import org.autosync.routes.SourcePollStrategy;
import org.autosync.safety.DeleteRateLimiter;
import org.autosync.safety.DeletionGate;
import org.autosync.state.SyncRecord;
import org.autosync.state.SyncState;
import org.autosync.targets.Actor;
import org.autosync.targets.MultipartJournal;
import org.autosync.targets.Upload;
import org.autosync.watch.WatchStarter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync job (a source directory mirrored into one target) as its routes see it: the bean the route
 * templates call for each step. The logic lives in the pieces it holds; this class only adapts
 * messages to them. Starting the job opens its sync state; stopping it closes it.
 */
public final class MirrorJob extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorJob.class);

    private final JobSpec spec;
    private final Actor actor;
    private final SyncState state;
    private final Reconciler reconciler;
    private final MirrorStats stats = new MirrorStats();
    private final DeleteRateLimiter eventDeletes;
    private final AtomicLong refusedDeletes = new AtomicLong();
    private Transfers transfers;
    private volatile boolean lastPassIncomplete;
    private volatile boolean stopping;
    /** Key to "size mtime" of files that could not be read; the file route skips them until they change. */
    private final Map<String, String> unreadable = new ConcurrentHashMap<>();
    private volatile JobHealth health = JobHealth.healthy();
    private WatchStarter watchStarter = WatchStarter.directoryWatcher();
    private SourceWatcher watcher;
    private final List<AutoCloseable> ownedResources = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean firstPassDone;
    private volatile PassStart currentPass;
    /** Uploads found and not yet finished, by exchange id: the change's mtime (the age of the oldest is the lag). */
    private final Map<String, Long> pendingUploads = new ConcurrentHashMap<>();

    public MirrorJob(JobSpec spec, Actor actor, SyncState state) {
        this.spec = spec;
        this.actor = actor;
        this.state = state;
        this.reconciler = new Reconciler(spec.source(), spec.mapper(), spec.filter(), spec.followSymlinks(), actor,
                state, new ChangeDetector(state, actor, !spec.dryRun()), new DeletionGate(spec.deletes()),
                spec.settleRule(), spec.unsettledWait());
        this.eventDeletes = new DeleteRateLimiter(spec.deletes().maxDelete(), spec.deletes().deleteWindow());
    }

    @Override
    protected void doStart() {
        ServiceHelper.startService(state);
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

    private synchronized void ensureWatching(CamelContext context) {
        if (watcher == null) {
            watcher = new SourceWatcher(this, state, watchStarter);
        }
        watcher.ensureWatching(context);
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

    public String id() {
        return spec.id();
    }

    public JobSpec spec() {
        return spec;
    }

    public Actor actor() {
        return actor;
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

    /** Whether the last reconciliation pass could not finish its work (its deletes were held back). */
    public boolean lastPassIncomplete() {
        return lastPassIncomplete;
    }

    /**
     * Whether the job is doing its work: unhealthy while deletes are blocked (source unavailable, walk
     * or listing incomplete) or held back by a safety rail, until a later complete pass within limits.
     */
    public JobHealth health() {
        return health;
    }

    /** Deletes the delete route refused (--no-delete aside): over the event-delete limit, or after it tripped. */
    public long refusedDeletes() {
        return refusedDeletes.get();
    }

    private void health(JobHealth.Status status, String reason) {
        JobHealth now = health;
        if (now.status() != status || !now.reason().equals(reason)) {
            health = new JobHealth(status, reason, java.time.Instant.now());
        }
    }

    /** The beans the route templates refer to, by registry name. */
    public Map<String, Object> registryBeans() {
        String name = spec.beanName();
        return Map.of(name, this,
                name + "-state", state,
                name + "-fingerprint", new FileFingerprint(spec.mapper()),
                name + "-filter", new SourceFileFilter(spec.filter(), spec.followSymlinks(), spec.settleRule()),
                name + "-pollStrategy", new SourcePollStrategy(spec.id(), spec.source()));
    }

    /** The job's instances of the route templates, as a RouteBuilder (e.g. for camel-main's configuration). */
    public JobRoutes routes() {
        return new JobRoutes(spec);
    }

    /**
     * Adds this job to a running or starting CamelContext of any Camel 4 runtime: its beans, the route
     * templates (once per context), the job's routes, and itself as a service of the context.
     */
    public void addTo(CamelContext context) throws Exception {
        addTo(context, true);
    }

    /**
     * As {@link #addTo(CamelContext)}; without the reconcile route when {@code withReconcileRoute} is false, because
     * an instance of the {@value MirrorRouteTemplates#JOB} template is that route itself.
     */
    public void addTo(CamelContext context, boolean withReconcileRoute) throws Exception {
        registryBeans().forEach(context.getRegistry()::bind);
        context.addService(this, true, true);
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        if (model.getRouteTemplateDefinition(MirrorRouteTemplates.UPLOAD) == null) {
            context.addRoutes(new MirrorRouteTemplates());
        }
        for (JobRoutes.Instance route : JobRoutes.instances(spec)) {
            if (withReconcileRoute || !MirrorRouteTemplates.RECONCILE.equals(route.template())) {
                model.addRouteFromTemplate(route.routeId(), route.template(), null, null, new HashMap<>(route.parameters()));
            }
        }
    }

    private void trackPending(Exchange exchange, long changedAtMillis) {
        String id = exchange.getExchangeId();
        pendingUploads.put(id, changedAtMillis);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                pendingUploads.remove(id);
            }
        });
    }

    /** Uploads found (by a pass, the re-scan or the watcher) and not finished yet. */
    public int pendingUploads() {
        return pendingUploads.size();
    }

    /** The modification time of the oldest change found and not synced yet (empty if none is pending). */
    public Optional<Instant> oldestPendingChange() {
        return pendingUploads.values().stream().min(Long::compare).map(Instant::ofEpochMilli);
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
     * What the source holds that the sync state does not record as uploaded (new or changed files, in scope):
     * the work left of a pass, for its progress line. Walks the source once; no request to the target.
     */
    public UnsyncedWork countUnsynced() {
        LocalTreeWalker walker = new LocalTreeWalker(spec.source(), spec.filter(), spec.mapper()::keyFor,
                spec.followSymlinks());
        long files = 0;
        long bytes = 0;
        while (walker.hasNext()) {
            LocalFile f = walker.next();
            if (!state.get(f.key()).map(r -> r.describes(f.size(), f.mtimeMillis())).orElse(false)) {
                files++;
                bytes += f.size();
            }
        }
        return new UnsyncedWork(files, bytes);
    }

    /** Files and their bytes not synced yet. */
    public record UnsyncedWork(long files, long bytes) {
    }

    /** Closes {@code resource} (e.g. an actor the job owns) when the job stops, before its sync state closes. */
    public void closeOnStop(AutoCloseable resource) {
        ownedResources.add(resource);
    }

    /**
     * Prefix-rewrite step: the object key of the file in the message, unless a step already set one. A
     * file whose key lies under the backup prefix is not uploaded: it would overwrite a backup.
     */
    public void mapKey(Exchange exchange) {
        Message in = exchange.getMessage();
        in.setHeader(AutosyncHeaders.JOB, spec.id());
        trackPending(exchange, in.getHeader(Exchange.FILE_LAST_MODIFIED, System.currentTimeMillis(), Long.class));
        if (in.getHeader(AutosyncHeaders.KEY) == null) {
            in.setHeader(AutosyncHeaders.KEY, spec.mapper().keyFor(fileOf(in).toPath().toAbsolutePath()));
        }
        String key = in.getHeader(AutosyncHeaders.KEY, String.class);
        if (spec.deletes().isBackupKey(key)) {
            LOG.warn("{}: not uploading {}: its key falls under --backup_prefix '{}'", spec.id(), key,
                    spec.deletes().backupPrefix());
            exchange.setRouteStop(true);
        }
    }

    /**
     * Upload step: streams the file to the target, or only reports it in a dry run. Size and mtime are
     * checked again afterwards; if the file changed while it was read, it is uploaded again (at most
     * {@value #MAX_UPLOADS_PER_EXCHANGE} uploads in all), so the object ends equal to the final file. The
     * size and mtime that were uploaded are left in the headers for the record step.
     */
    public void upload(Exchange exchange) throws IOException, InterruptedException {
        Message in = exchange.getMessage();
        File file = fileOf(in);
        String key = in.getHeader(AutosyncHeaders.KEY, String.class);
        long size = in.getHeader(Exchange.FILE_LENGTH, file.length(), Long.class);
        long mtime = in.getHeader(Exchange.FILE_LAST_MODIFIED, file.lastModified(), Long.class);
        boolean fromFileRoute = in.getHeader(AutosyncHeaders.REASON) == null;
        String reason = in.getHeader(AutosyncHeaders.REASON, "changed", String.class);
        if (fromFileRoute && (size + " " + mtime).equals(unreadable.get(key))) {
            // logged and counted once; the file route tries it again when it changes, a pass tries it once
            LOG.debug("{}: {} is still unreadable; skipped", spec.id(), key);
            exchange.setRouteStop(true);
            return;
        }
        if (spec.dryRun()) {
            LOG.info("dry-run: would upload {} ({} bytes, {})", key, size, reason);
            return;
        }
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null) {
            contentType = URLConnection.getFileNameMap().getContentTypeFor(file.getName());
        }
        @SuppressWarnings("unchecked")
        Map<String, String> metadata = in.getHeader(AutosyncHeaders.METADATA, Map.of(), Map.class);
        String storageClass = in.getHeader(AutosyncHeaders.STORAGE_CLASS, String.class);
        SettleRule settle = spec.settleRule();
        for (int uploads = 1; ; uploads++) {
            String etag = null;
            IOException failure = null;
            try {
                etag = actor.upload(new Upload(key, file.toPath(), size, mtime, contentType, metadata, storageClass));
            } catch (IOException e) {
                failure = e; // perhaps because the file changed while it was read: that is checked next
            }
            BasicFileAttributes now;
            try {
                now = Files.readAttributes(file.toPath(), BasicFileAttributes.class);
            } catch (NoSuchFileException gone) {
                // deleted after it was found, or while it was read: not a failure; the next pass deletes
                // its object (if one was uploaded). It is not recorded, so nothing retries it.
                LOG.info("{}: {} was deleted before its upload completed; skipped", spec.id(), key);
                stats.vanished(1);
                exchange.setRouteStop(true);
                return;
            }
            long nowMtime = now.lastModifiedTime().toMillis();
            boolean changed = now.size() != size || nowMtime != mtime;
            if (!changed) {
                if (failure != null && isUnreadable(failure, file)) {
                    LOG.warn("{}: cannot read {}: {}; not uploaded (tried again when it changes, or at the next "
                            + "reconciliation pass)", spec.id(), file, failure.getMessage());
                    unreadable.put(key, size + " " + mtime);
                    stats.failed(1);
                    exchange.setRouteStop(true);
                    return;
                }
                if (failure != null) {
                    throw failure;
                }
                unreadable.remove(key);
                in.setHeader(Exchange.FILE_LENGTH, size);
                in.setHeader(Exchange.FILE_LAST_MODIFIED, mtime);
                in.setHeader(AutosyncHeaders.ETAG, etag);
                LOG.debug("uploaded {} ({} bytes, {})", key, size, reason);
                return;
            }
            if (uploads >= MAX_UPLOADS_PER_EXCHANGE) {
                throw new IOException("source file kept changing while it was uploaded, " + uploads + " times: " + file);
            }
            LOG.info("{} changed while it was uploaded ({} -> {} bytes); uploading it again", key, size, now.size());
            size = now.size();
            mtime = nowMtime;
            // it is being written right now: give the writer the settle time to finish first
            Thread.sleep(settle.remainingMillis(mtime));
        }
    }

    /**
     * Whether an upload failed because the local file cannot be read (permissions, I/O error on that
     * file), as opposed to the target: such a failure is not redelivered.
     */
    private static boolean isUnreadable(IOException failure, File file) {
        if (failure instanceof java.nio.file.AccessDeniedException) {
            return true;
        }
        return failure instanceof java.nio.file.FileSystemException fse && fse.getFile() != null
                && !(failure instanceof NoSuchFileException)
                && java.nio.file.Path.of(fse.getFile()).toAbsolutePath().equals(file.toPath().toAbsolutePath());
    }

    /** Uploads of one file in one exchange when it keeps changing while it is read; then the exchange fails. */
    public static final int MAX_UPLOADS_PER_EXCHANGE = 4;

    /** Record step: remembers what the target now holds, so the file is skipped until it changes. */
    public void recordUpload(Exchange exchange) {
        Message in = exchange.getMessage();
        long size = in.getHeader(Exchange.FILE_LENGTH, Long.class);
        if (!spec.dryRun()) {
            state.put(in.getHeader(AutosyncHeaders.KEY, String.class), new SyncRecord(size,
                    in.getHeader(Exchange.FILE_LAST_MODIFIED, Long.class), in.getHeader(AutosyncHeaders.ETAG, String.class)));
        }
        stats.uploaded(size);
    }

    /** Failure step of the upload route, after redeliveries are exhausted. */
    public void uploadFailed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("upload of {} failed: {}", exchange.getMessage().getHeader(AutosyncHeaders.KEY),
                e == null ? "unknown error" : e.getMessage());
        stats.failed(1);
    }

    /**
     * First step of the delete route, the safety rails: takes a body of one key or a collection of keys
     * and leaves the keys that may be deleted as a list. Keys under the backup prefix are dropped; with
     * --no-delete nothing goes on; deletes without {@link AutosyncHeaders#DELETE_APPROVED} (not from a
     * reconciliation pass) must fit the sliding-window limit, else the whole message is refused, the job
     * is marked rail-tripped and {@link AutosyncHeaders#DELETE_REFUSED} says why.
     */
    public void guardDeletes(Exchange exchange) throws InvalidPayloadException {
        Message in = exchange.getMessage();
        List<String> keys = keysOf(in);
        List<String> kept = keys.stream().filter(k -> !spec.deletes().isBackupKey(k)).toList();
        if (kept.size() < keys.size()) {
            LOG.warn("{}: not deleting {} key(s) under --backup_prefix '{}': backups are never deleted by a job",
                    spec.id(), keys.size() - kept.size(), spec.deletes().backupPrefix());
        }
        in.setBody(kept);
        if (kept.isEmpty()) {
            exchange.setRouteStop(true);
            return;
        }
        if (spec.deletes().noDelete()) {
            LOG.debug("--no-delete: not deleting {}", kept);
            refuse(exchange, "--no-delete");
            return;
        }
        if (Boolean.TRUE.equals(in.getHeader(AutosyncHeaders.DELETE_APPROVED, Boolean.class))) {
            return;
        }
        boolean trippedBefore = eventDeletes.tripped();
        Optional<String> refused = eventDeletes.tryAcquire(kept.size());
        if (refused.isPresent()) {
            refusedDeletes.addAndGet(kept.size());
            if (trippedBefore) {
                LOG.debug("{}: not deleting {}: {}", spec.id(), kept, refused.get());
            } else {
                LOG.warn("{}: not deleting {} and any further deletes until a reconciliation pass within limits: {}. "
                        + "If these deletes are intended, raise --max_delete", spec.id(),
                        kept.size() == 1 ? kept.get(0) : kept.size() + " objects", refused.get());
            }
            health(JobHealth.Status.RAIL_TRIPPED, "event deletes held back: " + refused.get());
            refuse(exchange, refused.get());
        }
    }

    private static void refuse(Exchange exchange, String reason) {
        exchange.getMessage().setHeader(AutosyncHeaders.DELETE_REFUSED, reason);
        exchange.setRouteStop(true);
    }

    private static List<String> keysOf(Message in) throws InvalidPayloadException {
        Object body = in.getBody();
        if (body instanceof String key) {
            return List.of(key);
        }
        if (body instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return List.of(in.getMandatoryBody(String.class));
    }

    /**
     * Delete step: one batch of keys; keys the target refused are logged and counted as failures. With a
     * backup prefix, each key is first copied to its backup key, and a key whose copy failed is not deleted.
     */
    public void delete(Exchange exchange) throws InvalidPayloadException {
        @SuppressWarnings("unchecked")
        List<String> keys = exchange.getMessage().getMandatoryBody(List.class);
        boolean backup = spec.deletes().backsUp();
        if (spec.dryRun()) {
            keys.forEach(k -> {
                if (backup) {
                    LOG.info("dry-run: would copy {} to {} and delete {}", k, spec.deletes().backupKeyOf(k), k);
                } else {
                    LOG.info("dry-run: would delete {}", k);
                }
            });
            return;
        }
        List<Actor.DeleteFailure> failures = new ArrayList<>();
        List<String> deletable = keys;
        if (backup) {
            deletable = new ArrayList<>(keys.size());
            for (String key : keys) {
                String backupKey = spec.deletes().backupKeyOf(key);
                try {
                    actor.copy(key, backupKey);
                    deletable.add(key);
                } catch (Exception e) {
                    failures.add(new Actor.DeleteFailure(key, "not deleted, because its backup copy to " + backupKey
                            + " failed: " + actor.explain(e)));
                }
            }
        }
        if (!deletable.isEmpty()) {
            failures.addAll(actor.delete(deletable));
        }
        Set<String> failedKeys = failures.stream().map(Actor.DeleteFailure::key).collect(Collectors.toSet());
        failures.forEach(f -> LOG.warn("delete of {} failed: {}", f.key(), f.reason()));
        keys.stream().filter(k -> !failedKeys.contains(k)).forEach(k -> {
            state.forget(k);
            LOG.debug("deleted {}", k);
        });
        stats.deleted(keys.size() - failedKeys.size());
        stats.failed(failedKeys.size());
    }

    /**
     * Reconciliation step: a full pass against the target listing, its actions sent through this job's
     * upload and delete routes. After the first pass the file route (if any) takes over between passes.
     */
    public Reconciler.PassResult reconcile(Exchange exchange) throws Exception {
        unreadable.clear(); // a pass tries unreadable files once more
        if (spec.watchesEvents() && !spec.dryRun()) {
            ensureWatching(exchange.getContext());
        }
        currentPass = new PassStart(Instant.now(), stats.snapshot());
        try {
            Reconciler.PassResult result = reconciler.pass(transfers(exchange.getContext()));
            stats.unchanged(result.unchanged());
            reportUnsettled(result.unsettled());
            lastPassIncomplete = result.deleteBlockReason().isPresent();
            eventDeletes.inScope(Math.max(0, result.inScope() - (result.deletesSent() ? result.deletes().size() : 0)));
            if (result.deleteBlockReason().isPresent()) {
                health(JobHealth.Status.DELETES_BLOCKED, result.deleteBlockReason().get());
                stats.passEnded(MirrorStats.PassOutcome.DELETES_BLOCKED);
            } else if (result.railTripped().isPresent()) {
                health(JobHealth.Status.RAIL_TRIPPED, result.railTripped().get());
                stats.passEnded(MirrorStats.PassOutcome.RAIL_TRIPPED);
            } else {
                eventDeletes.reset();
                health(JobHealth.Status.HEALTHY, "");
                stats.passEnded(MirrorStats.PassOutcome.COMPLETE);
            }
            firstPassDone = true;
            return result;
        } finally {
            currentPass = null;
            String scanRoute = MirrorRouteTemplates.routeId(MirrorRouteTemplates.SCAN, spec.id());
            if (exchange.getContext().getRoute(scanRoute) != null
                    && !exchange.getContext().getRouteController().getRouteStatus(scanRoute).isStarted()) {
                exchange.getContext().getRouteController().startRoute(scanRoute);
            }
        }
    }

    /**
     * Files still being written at the end of a pass: in continuous mode the file route uploads them once
     * they settle; a one-shot pass waited for them in vain, so they count as failures.
     */
    private void reportUnsettled(List<LocalFile> unsettled) {
        if (unsettled.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
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
        unsettled.forEach(f -> LOG.warn("{}: {} is still being written (modified {} ms ago, settle time {} ms, waited up to {} ms); "
                + "not uploaded", spec.id(), f.path(), now - f.mtimeMillis(), spec.settleTime().toMillis(),
                spec.unsettledWait().toMillis()));
        stats.failed(unsettled.size());
    }

    /** Failure step of the reconcile route: one line in the target's own terms instead of a stack trace. */
    public void reconcileFailed(Exchange exchange) {
        lastPassIncomplete = true;
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SourceUnavailableException gone = sourceUnavailable(e);
        String why;
        if (stopping || e instanceof RouteTransfers.StoppingException) {
            LOG.info("{}: reconciliation pass stopped for shutdown; nothing more sent, nothing deleted", spec.id());
            return;
        }
        stats.passEnded(MirrorStats.PassOutcome.FAILED);
        if (gone != null) {
            why = "the source is not available (" + gone.getMessage() + ")";
            LOG.warn("{}: reconciliation skipped, nothing deleted: {}", spec.id(), why);
        } else {
            why = "reconciliation with " + actor.describe() + " failed: "
                    + (e == null ? "unknown error" : actor.explain(e));
            LOG.warn("{}: reconciliation with {} failed, nothing deleted: {}", spec.id(), actor.describe(),
                    e == null ? "unknown error" : actor.explain(e));
        }
        health(JobHealth.Status.DELETES_BLOCKED, why);
    }

    private static SourceUnavailableException sourceUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SourceUnavailableException s) {
                return s;
            }
        }
        return null;
    }

    private synchronized Transfers transfers(CamelContext context) {
        if (transfers == null) {
            transfers = new RouteTransfers(context.createProducerTemplate(),
                    context.getExecutorServiceManager().newFixedThreadPool(this, spec.beanName(), spec.threads()),
                    spec.id(), spec.threads(), () -> stopping);
        }
        return transfers;
    }

    private static File fileOf(Message in) {
        return in.getBody(File.class);
    }
}
