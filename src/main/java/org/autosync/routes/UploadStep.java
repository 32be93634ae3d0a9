package org.autosync.routes;

import java.io.File;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.autosync.errors.Causes;
import org.autosync.job.JobSpec;
import org.autosync.job.TargetBreaker;
import org.autosync.job.MirrorJob;
import org.autosync.job.NotLeadingException;
import org.autosync.local.LocalFile;
import org.autosync.state.StateUnavailableException;
import org.autosync.state.SyncRecord;
import org.autosync.targets.Upload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a job's one upload route (bean {@code <job>-upload}), whichever way the file arrived (the
 * re-scan, a reconciliation pass, the watcher): the key, the upload itself, and the record of what the target
 * now holds. A file that cannot be read is reported once and skipped by the re-scan until it changes.
 * <p>
 * At most one upload of a key runs at a time: a request for a key that is being uploaded (the watcher, the re-scan
 * and a pass may all find the same change) ends at once, and the running upload checks the file once more after it
 * is recorded, uploading it again only if it changed since.
 */
public final class UploadStep {

    private static final Logger LOG = LoggerFactory.getLogger(UploadStep.class);

    /**
     * Runtime property: {@code true} leaves out the INFO line of each upload and delete (the jar's {@code --quiet});
     * warnings and errors are logged all the same.
     */
    public static final String QUIET = "autosync.quiet";

    /**
     * The reasons that only say the file differs from the state's record (ChangeDetector#localChange): a request with
     * one of them is done once the state records the file as it is, whoever uploaded it. The others (missing or
     * changed in the target) are sent whatever the state says.
     */
    private static final Set<String> LOCAL_CHANGES = Set.of("new", "changed");

    /** Uploads of one file in one exchange when it keeps changing while it is read; then the exchange fails. */
    public static final int MAX_UPLOADS_PER_EXCHANGE = 4;

    private final MirrorJob job;
    private final JobSpec spec;
    /**
     * Key to "size mtime" of files that could not be read or failed permanently at the target; the re-scan skips them
     * until they change, a reconciliation pass tries them once more.
     */
    private final Map<String, String> unreadable = new ConcurrentHashMap<>();
    /** {@link #quiet} of the job's context, read at its first upload: an initial property, fixed for the run. */
    private volatile Boolean quiet;
    /** The keys being uploaded now, whichever route sent them: at most one upload per key at a time. */
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();

    /** An upload running for one key in one exchange; {@code recheck} once another request came in meanwhile. */
    private static final class InFlight {
        private final String exchangeId;
        private volatile boolean recheck;

        InFlight(String exchangeId) {
            this.exchangeId = exchangeId;
        }
    }

    UploadStep(MirrorJob job) {
        this.job = job;
        this.spec = job.spec();
    }

    /** A reconciliation pass tries unreadable files once more. */
    void retryUnreadable() {
        unreadable.clear();
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
        if (job.gate().protects(key)) {
            LOG.warn("{}: not uploading {}: its key falls under --backup_prefix '{}'", spec.id(), key,
                    spec.deletes().backupPrefix());
            exchange.setRouteStop(true);
        }
    }

    private void trackPending(Exchange exchange, long changedAtMillis) {
        String id = exchange.getExchangeId();
        job.pendingUploads().found(id, changedAtMillis);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                job.pendingUploads().done(id);
            }
        });
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
        String reason = fromFileRoute ? job.changes().localChange(key, size, mtime).orElse("changed")
                : in.getHeader(AutosyncHeaders.REASON, String.class);
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
        if (!claim(exchange, key, file.toPath())) {
            LOG.debug("{}: {} is being uploaded already; checked again once that upload ends", spec.id(), key);
            exchange.setRouteStop(true);
            return;
        }
        if ((fromFileRoute || LOCAL_CHANGES.contains(reason)) && job.changes().localChange(key, size, mtime).isEmpty()) {
            // the watcher and the re-scan both find a new file; whichever came second finds it uploaded meanwhile
            LOG.debug("{}: {} was uploaded meanwhile by another request; skipped", spec.id(), key);
            exchange.setRouteStop(true);
            return;
        }
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null) {
            contentType = URLConnection.getFileNameMap().getContentTypeFor(file.getName());
        }
        @SuppressWarnings("unchecked")
        Map<String, String> metadata = in.getHeader(AutosyncHeaders.METADATA, Map.of(), Map.class);
        String storageClass = in.getHeader(AutosyncHeaders.STORAGE_CLASS, String.class);
        for (int uploads = 1; ; uploads++) {
            String etag = null;
            IOException failure = null;
            try {
                etag = job.actor().upload(new Upload(key, file.toPath(), size, mtime, contentType, metadata, storageClass));
            } catch (IOException e) {
                failure = e; // perhaps because the file changed while it was read: that is checked next
            }
            BasicFileAttributes now;
            try {
                now = Files.readAttributes(file.toPath(), BasicFileAttributes.class);
            } catch (NoSuchFileException gone) {
                // deleted after it was found, or while it was read: not a failure, and not recorded, so nothing
                // retries it. An object the upload may have left (the PUT can complete even when the actor then
                // reports the file gone) is deleted now: with no record, no event delete would.
                LOG.info("{}: {} was deleted before its upload completed; skipped", spec.id(), key);
                job.stats().vanished(1);
                exchange.setRouteStop(true);
                deleteLeftObject(key);
                return;
            }
            long nowMtime = now.lastModifiedTime().toMillis();
            boolean changed = now.size() != size || nowMtime != mtime;
            if (!changed) {
                if (failure != null && isUnreadable(failure, file)) {
                    LOG.warn("{}: cannot read {}: {}; not uploaded (tried again when it changes, or at the next "
                            + "reconciliation pass)", spec.id(), file, failure.getMessage());
                    unreadable.put(key, size + " " + mtime);
                    job.stats().failed(1);
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
                if (!quietRun(exchange)) {
                    LOG.info("{}: uploaded {} ({} bytes, {})", spec.id(), key, size, reason);
                }
                return;
            }
            if (uploads >= MAX_UPLOADS_PER_EXCHANGE) {
                throw new IOException("source file kept changing while it was uploaded, " + uploads + " times: " + file);
            }
            LOG.info("{} changed while it was uploaded ({} -> {} bytes); uploading it again", key, size, now.size());
            size = now.size();
            mtime = nowMtime;
            // it is being written right now: give the writer the settle time to finish first
            Thread.sleep(spec.settleRule().remainingMillis(mtime));
        }
    }

    /**
     * Claims {@code key} for this exchange until it completes (a redelivery of the exchange holds it already), or
     * marks the running upload for a re-check and returns false.
     */
    private boolean claim(Exchange exchange, String key, Path file) {
        InFlight mine = new InFlight(exchange.getExchangeId());
        InFlight running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            if (running.exchangeId.equals(mine.exchangeId)) {
                return true;
            }
            running.recheck = true;
            return false;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                inFlight.remove(key, mine);
                if (mine.recheck) {
                    recheck(key, file);
                }
            }
        });
        return true;
    }

    /** A request for {@code key} came in while it was uploaded: uploads it again if it changed since. */
    private void recheck(String key, Path file) {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return; // gone (the next pass deletes its object) or unreadable (the next request reports it)
        }
        long mtime = now.lastModifiedTime().toMillis();
        job.changes().localChange(key, now.size(), mtime).ifPresent(reason -> {
            try {
                job.transfers().uploadNow(new LocalFile(file, key, now.size(), mtime), reason);
            } catch (RuntimeException e) {
                LOG.debug("{}: re-check of {} not sent: {}", spec.id(), key, e.toString());
            }
        });
    }

    private void deleteLeftObject(String key) {
        try {
            job.transfers().deleteFromEvents(List.of(key));
        } catch (RuntimeException e) {
            job.deletesNotDone(1); // the next pass deletes it
        }
    }

    /**
     * Whether an upload failed because the local file cannot be read (permissions, I/O error on that
     * file), as opposed to the target: such a failure is not redelivered.
     */
    private static boolean isUnreadable(IOException failure, File file) {
        if (failure instanceof AccessDeniedException) {
            return true;
        }
        return failure instanceof FileSystemException fse && fse.getFile() != null
                && !(failure instanceof NoSuchFileException)
                && Path.of(fse.getFile()).toAbsolutePath().equals(file.toPath().toAbsolutePath());
    }

    /** Record step: remembers what the target now holds, so the file is skipped until it changes. */
    public void recordUpload(Exchange exchange) {
        Message in = exchange.getMessage();
        long size = in.getHeader(Exchange.FILE_LENGTH, Long.class);
        if (!spec.dryRun()) {
            job.state().put(in.getHeader(AutosyncHeaders.KEY, String.class), new SyncRecord(size,
                    in.getHeader(Exchange.FILE_LAST_MODIFIED, Long.class), in.getHeader(AutosyncHeaders.ETAG, String.class)));
        }
        job.stats().uploaded(size);
    }

    /**
     * Failure step of the upload route, the one line per failed file. Nothing is sent again here: the actor retried
     * its requests already. An upload the target's breaker held back (nothing was sent) is logged at DEBUG: the breaker
     * said once that the target is unavailable. A transient failure is sent again by the next re-scan or pass; a
     * permanent one (see {@link org.autosync.targets.Actor#isTransient}) is skipped by the re-scan, like an unreadable
     * file, until the file changes or the next reconciliation pass.
     */
    public void uploadFailed(Exchange exchange) {
        Message in = exchange.getMessage();
        String key = in.getHeader(AutosyncHeaders.KEY, String.class);
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (Causes.find(NotLeadingException.class, caught).isPresent()) {
            LOG.debug("{}: {} not sent: this node does not lead the job any more", spec.id(), key);
            return;
        }
        job.stats().failed(1);
        if (TargetBreaker.isHeldBack(caught)) {
            LOG.debug("{}: {} not sent: {} is unavailable; sent again by the next re-scan or pass", spec.id(), key,
                    job.actor().describe());
            return;
        }
        Optional<StateUnavailableException> noState = Causes.find(StateUnavailableException.class, caught);
        if (noState.isPresent()) { // the state's one WARN said it is unavailable; the re-scan or a pass tries again
            LOG.debug("{}: upload of {} not done or not recorded: {}", spec.id(), key, noState.get().getMessage());
            return;
        }
        Throwable failure = TargetBreaker.unwrap(caught);
        String why = failure == null ? "unknown error" : job.actor().explain(failure);
        if (failure != null && job.actor().isTransient(failure)) {
            if (job.breaker().holdsBack()) { // the breaker's one line says the target is unavailable, and why
                LOG.debug("{}: upload of {} failed while {} is unavailable: {}", spec.id(), key, job.actor().describe(), why);
                return;
            }
            LOG.warn("{}: upload of {} to {} failed: {}; sent again by the next re-scan or pass", spec.id(), key,
                    job.actor().describe(), why);
            return;
        }
        LOG.warn("{}: upload of {} to {} failed and is not retried: {}; sent again once the file changes, or by the "
                + "next reconciliation pass", spec.id(), key, job.actor().describe(), why);
        LOG.debug("{}: upload of {} failed", spec.id(), key, failure);
        File file = fileOf(in);
        if (key != null && file != null) {
            unreadable.put(key, in.getHeader(Exchange.FILE_LENGTH, file.length(), Long.class) + " "
                    + in.getHeader(Exchange.FILE_LAST_MODIFIED, file.lastModified(), Long.class));
        }
    }

    /** {@link #quiet}, resolved once: parsing the property for every file cost more than the line it saves. */
    private boolean quietRun(Exchange exchange) {
        Boolean known = quiet;
        if (known == null) {
            known = quiet(exchange);
            quiet = known;
        }
        return known;
    }

    /** Whether the run asked for no line per upload and delete ({@value #QUIET}). */
    static boolean quiet(Exchange exchange) {
        return exchange.getContext().getPropertiesComponent().resolveProperty(QUIET).map(Boolean::parseBoolean)
                .orElse(false);
    }

    private static File fileOf(Message in) {
        return in.getBody(File.class);
    }
}
