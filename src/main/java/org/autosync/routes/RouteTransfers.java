package org.autosync.routes;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.autosync.job.MirrorJob;
import org.autosync.job.NotLeadingException;
import org.autosync.local.LocalFile;
import org.autosync.reconcile.Transfers;

/**
 * A job's {@link Transfers} as messages to its one upload route and one delete route. A pass's uploads run
 * {@code threads} at a time, and the merge blocks while that many are queued, so memory stays bounded. Once the
 * job stops taking work, every transfer throws {@link Transfers.Stopping}. Closing it (when the job stops)
 * releases its producer and its thread pool.
 */
final class RouteTransfers implements Transfers, AutoCloseable {

    /** Exchange property (never a header: no message from outside can carry it) of a delete batch a pass approved. */
    static final String DELETE_APPROVED = "AutosyncDeleteApproved";

    private final CamelContext context;
    private final MirrorJob job;
    private final String uploadUri;
    private final String deleteUri;
    private final int threads;
    private final Semaphore slots;
    private ProducerTemplate template;
    private ExecutorService executor;

    RouteTransfers(CamelContext context, MirrorJob job) {
        this.context = context;
        this.job = job;
        this.uploadUri = MirrorRouteTemplates.uploadUri(job.id());
        this.deleteUri = MirrorRouteTemplates.deleteUri(job.id());
        this.threads = job.spec().threads();
        this.slots = new Semaphore(threads);
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }

    private synchronized ExecutorService executor() {
        if (executor == null) {
            executor = context.getExecutorServiceManager().newFixedThreadPool(this, job.spec().beanName(), threads);
        }
        return executor;
    }

    private void checkTakingWork() {
        if (job.stopping()) {
            throw new Stopping();
        }
        if (!job.leading()) {
            throw new NotLeadingException(job.id());
        }
    }

    @Override
    public void upload(LocalFile file, String reason) {
        checkTakingWork();
        slots.acquireUninterruptibly();
        try {
            // failures are counted and logged by the upload route itself
            executor().execute(() -> {
                try {
                    uploadNow(file, reason);
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    @Override
    public void uploadNow(LocalFile file, String reason) {
        template().send(uploadUri, exchange -> {
            exchange.getMessage().setBody(file.path().toFile());
            exchange.getMessage().setHeader(AutosyncHeaders.KEY, file.key());
            exchange.getMessage().setHeader(AutosyncHeaders.REASON, reason);
            exchange.getMessage().setHeader(Exchange.FILE_LENGTH, file.size());
            exchange.getMessage().setHeader(Exchange.FILE_LAST_MODIFIED, file.mtimeMillis());
            exchange.getMessage().setHeader(Exchange.FILE_PATH, file.path().toString());
        });
    }

    @Override
    public void awaitUploads() throws InterruptedException {
        slots.acquire(threads);
        slots.release(threads);
    }

    @Override
    public void delete(List<String> keys) {
        checkTakingWork();
        send(keys, true);
    }

    @Override
    public void deleteFromEvents(List<String> keys) {
        send(keys, false);
    }

    @Override
    public void deleteRenamed(List<String> keys) {
        send(keys, true);
    }

    private void send(List<String> keys, boolean approved) {
        Exchange done = template().send(deleteUri, exchange -> {
            exchange.getMessage().setBody(List.copyOf(keys));
            exchange.setProperty(DELETE_APPROVED, approved);
        });
        if (done.getException() != null) {
            throw new IllegalStateException("delete batch failed: " + done.getException().getMessage(),
                    done.getException());
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (executor != null) {
            context.getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        if (template != null) {
            template.close();
            template = null;
        }
    }
}
