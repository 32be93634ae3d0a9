package org.autosync.routes;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.autosync.local.LocalFile;
import org.autosync.reconcile.Transfers;

/**
 * Sends a reconciliation pass's actions through the job's upload and delete routes, {@code threads}
 * uploads at a time; the merge blocks while that many are queued, so memory stays bounded.
 */
public final class RouteTransfers implements Transfers {

    private final ProducerTemplate template;
    private final ExecutorService executor;
    private final String uploadUri;
    private final String deleteUri;
    private final int threads;
    private final Semaphore slots;
    private final BooleanSupplier stopping;

    public RouteTransfers(ProducerTemplate template, ExecutorService executor, String jobId, int threads) {
        this(template, executor, jobId, threads, () -> false);
    }

    /**
     * The same, taking no new work once {@code stopping} is true: {@link #upload} and {@link #delete}
     * then throw {@link StoppingException}, which ends the pass (uploads already sent are finished).
     */
    public RouteTransfers(ProducerTemplate template, ExecutorService executor, String jobId, int threads,
                          BooleanSupplier stopping) {
        this.stopping = stopping;
        this.template = template;
        this.executor = executor;
        this.uploadUri = MirrorRouteTemplates.uploadUri(jobId);
        this.deleteUri = MirrorRouteTemplates.deleteUri(jobId);
        this.threads = threads;
        this.slots = new Semaphore(threads);
    }

    @Override
    public void upload(LocalFile file, String reason) {
        if (stopping.getAsBoolean()) {
            throw new StoppingException();
        }
        slots.acquireUninterruptibly();
        try {
            executor.execute(() -> {
                try {
                    // failures are counted and logged by the upload route itself
                    template.send(uploadUri, exchange -> {
                        exchange.getMessage().setBody(file.path().toFile());
                        exchange.getMessage().setHeader(AutosyncHeaders.KEY, file.key());
                        exchange.getMessage().setHeader(AutosyncHeaders.REASON, reason);
                        exchange.getMessage().setHeader(Exchange.FILE_LENGTH, file.size());
                        exchange.getMessage().setHeader(Exchange.FILE_LAST_MODIFIED, file.mtimeMillis());
                        exchange.getMessage().setHeader(Exchange.FILE_PATH, file.path().toString());
                    });
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
    public void awaitUploads() throws InterruptedException {
        slots.acquire(threads);
        slots.release(threads);
    }

    @Override
    public void delete(List<String> keys) {
        if (stopping.getAsBoolean()) {
            throw new StoppingException();
        }
        Exchange done = template.send(deleteUri, exchange -> {
            exchange.getMessage().setBody(List.copyOf(keys));
            exchange.getMessage().setHeader(AutosyncHeaders.DELETE_APPROVED, true);
        });
        if (done.getException() != null) {
            throw new IllegalStateException("delete batch failed: " + done.getException().getMessage(),
                    done.getException());
        }
    }

    /** The job is shutting down: the pass ends without sending anything more (and without deletes). */
    public static final class StoppingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StoppingException() {
            super("shutting down: the pass stopped taking new work");
        }
    }
}
