package org.autosync.job;

import java.io.File;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.model.Model;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.autosync.local.LocalFile;
import org.autosync.local.SettleRule;
import org.autosync.reconcile.ChangeDetector;
import org.autosync.reconcile.Reconciler;
import org.autosync.reconcile.Transfers;
import org.autosync.routes.AutosyncHeaders;
import org.autosync.routes.FileFingerprint;
import org.autosync.routes.JobRoutes;
import org.autosync.routes.MirrorRouteTemplates;
import org.autosync.routes.RouteTransfers;
import org.autosync.routes.SourceFileFilter;
import org.autosync.safety.DeletionGate;
import org.autosync.state.SyncRecord;
import org.autosync.state.SyncState;
import org.autosync.target.Actor;
import org.autosync.target.Upload;
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
    private Transfers transfers;
    private volatile boolean lastPassIncomplete;

    public MirrorJob(JobSpec spec, Actor actor, SyncState state) {
        this.spec = spec;
        this.actor = actor;
        this.state = state;
        this.reconciler = new Reconciler(spec.source(), spec.mapper(), spec.filter(), spec.followSymlinks(), actor,
                state, new ChangeDetector(state, actor, !spec.dryRun()), new DeletionGate(),
                spec.settleRule(), spec.unsettledWait());
    }

    @Override
    protected void doStart() {
        ServiceHelper.startService(state);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(state);
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

    /** Whether the last reconciliation pass could not finish its work (its deletes were held back). */
    public boolean lastPassIncomplete() {
        return lastPassIncomplete;
    }

    /** The beans the route templates refer to, by registry name. */
    public Map<String, Object> registryBeans() {
        String name = spec.beanName();
        return Map.of(name, this,
                name + "-state", state,
                name + "-fingerprint", new FileFingerprint(spec.mapper()),
                name + "-filter", new SourceFileFilter(spec.filter(), spec.followSymlinks(), spec.settleRule()));
    }

    /** The job's instances of the route templates. */
    public JobRoutes routes() {
        return new JobRoutes(spec);
    }

    /**
     * Adds this job to a running or starting CamelContext of any Camel 4 runtime: its beans, the route
     * templates (once per context), the job's routes, and itself as a service of the context.
     */
    public void addTo(CamelContext context) throws Exception {
        registryBeans().forEach(context.getRegistry()::bind);
        context.addService(this, true, true);
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        if (model.getRouteTemplateDefinition(MirrorRouteTemplates.UPLOAD) == null) {
            context.addRoutes(new MirrorRouteTemplates());
        }
        JobRoutes routes = routes();
        context.addRoutes(routes);
        // templated routes are materialised in a second step, as camel-main does it
        context.addTemplatedRoutes(routes);
    }

    /** Prefix-rewrite step: the object key of the file in the message, unless a step already set one. */
    public void mapKey(Exchange exchange) {
        Message in = exchange.getMessage();
        in.setHeader(AutosyncHeaders.JOB, spec.id());
        if (in.getHeader(AutosyncHeaders.KEY) == null) {
            in.setHeader(AutosyncHeaders.KEY, spec.mapper().keyFor(fileOf(in).toPath().toAbsolutePath()));
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
        String reason = in.getHeader(AutosyncHeaders.REASON, "changed", String.class);
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
        SettleRule settle = spec.settleRule();
        for (int uploads = 1; ; uploads++) {
            String etag = null;
            IOException failure = null;
            try {
                etag = actor.upload(new Upload(key, file.toPath(), size, mtime, contentType, metadata));
            } catch (IOException e) {
                failure = e; // perhaps because the file changed while it was read: that is checked next
            }
            BasicFileAttributes now = Files.readAttributes(file.toPath(), BasicFileAttributes.class);
            long nowMtime = now.lastModifiedTime().toMillis();
            boolean changed = now.size() != size || nowMtime != mtime;
            if (!changed) {
                if (failure != null) {
                    throw failure;
                }
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

    /** Delete step: one batch of keys; keys the target refused are logged and counted as failures. */
    public void delete(Exchange exchange) throws InvalidPayloadException {
        @SuppressWarnings("unchecked")
        List<String> keys = exchange.getMessage().getMandatoryBody(List.class);
        if (spec.dryRun()) {
            keys.forEach(k -> LOG.info("dry-run: would delete {}", k));
            return;
        }
        List<Actor.DeleteFailure> failures = actor.delete(keys);
        Set<String> failedKeys = failures.stream().map(Actor.DeleteFailure::key).collect(Collectors.toSet());
        failures.forEach(f -> LOG.warn("delete of {} failed: {}", f.key(), f.reason()));
        keys.stream().filter(k -> !failedKeys.contains(k)).forEach(k -> {
            state.forget(k);
            LOG.debug("deleted {}", k);
        });
        stats.deleted(keys.size() - failures.size());
        stats.failed(failures.size());
    }

    /**
     * Reconciliation step: a full pass against the target listing, its actions sent through this job's
     * upload and delete routes. After the first pass the file route (if any) takes over between passes.
     */
    public Reconciler.PassResult reconcile(Exchange exchange) throws Exception {
        try {
            Reconciler.PassResult result = reconciler.pass(transfers(exchange.getContext()));
            stats.unchanged(result.unchanged());
            reportUnsettled(result.unsettled());
            lastPassIncomplete = result.deleteBlockReason().isPresent();
            return result;
        } finally {
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
            unsettled.forEach(f -> LOG.debug("{} is still being written; the file route uploads it once it settles", f.key()));
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
        LOG.warn("{}: reconciliation with {} failed, nothing deleted: {}", spec.id(), actor.describe(),
                e == null ? "unknown error" : actor.explain(e));
    }

    private synchronized Transfers transfers(CamelContext context) {
        if (transfers == null) {
            transfers = new RouteTransfers(context.createProducerTemplate(),
                    context.getExecutorServiceManager().newFixedThreadPool(this, spec.beanName(), spec.threads()),
                    spec.id(), spec.threads());
        }
        return transfers;
    }

    private static File fileOf(Message in) {
        return in.getBody(File.class);
    }
}
