package org.autosync.targets.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.autosync.targets.MultipartJournal;
import org.autosync.targets.Upload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The multipart uploads of one bucket: parts go {@code partConcurrency} at a time on the executor, each
 * streamed from its own file range ({@link FileRangeContent}) with the {@code Content-MD5} of that range
 * ({@link ContentMd5}: one pass to hash it, then it is sent unsigned); a failure stops further parts and aborts the
 * upload. Each upload is recorded in a {@link MultipartJournal}, as an intent just before CreateMultipartUpload
 * and then by its id, until it is completed or aborted, so that the uploads of a run killed in between are
 * aborted at the next start ({@link #resume}), and those whose abort failed at the next pass
 * ({@link #abortLeftovers}; both by {@link S3LeftoverUploads}). {@link #stop()} and {@link #abortLeftInFlight()}
 * make a shutdown leave no incomplete upload behind.
 */
final class S3MultipartUpload {

    private static final Logger LOG = LoggerFactory.getLogger(S3MultipartUpload.class);

    private static final MultipartJournal NO_JOURNAL = new MultipartJournal() {
        @Override
        public void creating(String key, String token) {
        }

        @Override
        public void started(String key, String token, String uploadId) {
        }

        @Override
        public void ended(String key, String uploadId) {
        }

        @Override
        public void notCreated(String key, String token) {
        }

        @Override
        public Map<String, String> pending() {
            return Map.of();
        }

        @Override
        public Map<String, String> intents() {
            return Map.of();
        }
    };

    /** An upload in progress: its key and its "stop sending parts" flag. */
    private record ActiveUpload(String key, AtomicBoolean stop) {
    }

    private final S3Client client;
    private final String bucket;
    private final S3ActorSettings settings;
    private final ExecutorService executor;
    /** Uploads in progress, by upload id. */
    private final Map<String, ActiveUpload> active = new ConcurrentHashMap<>();
    /** Keys whose CreateMultipartUpload is under way, until the upload is in {@link #active}: how many. */
    private final Map<String, Integer> creating = new ConcurrentHashMap<>();
    private final S3LeftoverUploads leftovers;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile MultipartJournal journal = NO_JOURNAL;

    S3MultipartUpload(S3Client client, String bucket, S3ActorSettings settings, ExecutorService executor) {
        this.client = client;
        this.bucket = bucket;
        this.settings = settings;
        this.executor = executor;
        this.leftovers = new S3LeftoverUploads(client, bucket, new S3LeftoverUploads.InFlight() {
            @Override
            public boolean creating(String key) {
                return creating.containsKey(key);
            }

            @Override
            public boolean active(String uploadId) {
                return active.containsKey(uploadId);
            }
        });
    }

    /**
     * Aborts the multipart uploads a previous run left in {@code journal} (it was killed between writing an
     * intent or upload id and Complete/Abort), then records every new multipart upload there. An upload the
     * server no longer knows (NoSuchUpload, 404) is simply forgotten; one that cannot be aborted now (endpoint
     * down) stays in the journal for the next pass ({@link #abortLeftovers}). A clean start costs no request.
     */
    void resume(MultipartJournal journal) {
        Objects.requireNonNull(journal, "journal");
        this.journal = journal;
        leftovers.abortAll(journal);
    }

    /**
     * Aborts the uploads the journal still holds that are not in flight here (an abort that failed, an
     * intent whose create failed without an answer); called once per reconciliation pass. Never throws.
     */
    void abortLeftovers() {
        leftovers.abortAll(journal);
    }

    /** Uploads {@code upload} in parts of {@link S3ActorSettings#partSizeFor}; returns the ETag without quotes. */
    String upload(Upload upload, Map<String, String> metadata, String contentType) throws IOException {
        long size = upload.size();
        long partSize = settings.partSizeFor(size);
        int partCount = (int) ((size + partSize - 1) / partSize);
        AtomicBoolean failed = new AtomicBoolean();
        MultipartJournal journal = this.journal;
        String uploadId = create(upload, metadata, contentType, journal, failed);
        List<Future<CompletedPart>> futures = new ArrayList<>(Math.min(partCount, 1024));
        try {
            if (stopped.get()) {
                throw new InterruptedIOException("not uploading " + upload.key() + ": shutting down");
            }
            CompletionService<CompletedPart> completion = new ExecutorCompletionService<>(executor);
            List<CompletedPart> parts = new ArrayList<>(partCount);
            int submitted = 0;
            while (parts.size() < partCount) {
                while (submitted < partCount && submitted - parts.size() < settings.partConcurrency()) {
                    int partNumber = submitted + 1;
                    long offset = (long) submitted * partSize;
                    long length = Math.min(partSize, size - offset);
                    futures.add(completion.submit(
                            () -> uploadPart(upload, uploadId, partNumber, offset, length, failed)));
                    submitted++;
                }
                parts.add(completion.take().get());
            }
            FileRangeContent.requireUnchangedSize(upload);
            parts.sort(Comparator.comparing(CompletedPart::partNumber));
            String etag = client.completeMultipartUpload(b -> b.bucket(bucket).key(upload.key())
                    .uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())).eTag();
            journal.ended(upload.key(), uploadId);
            active.remove(uploadId);
            return S3Listing.unquote(etag);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException ie = new InterruptedIOException("interrupted while uploading " + upload.key());
            throw abort(upload, uploadId, failed, futures, ie);
        } catch (ExecutionException e) {
            throw abort(upload, uploadId, failed, futures, e.getCause() != null ? e.getCause() : e);
        } catch (IOException | RuntimeException | Error e) {
            throw abort(upload, uploadId, failed, futures, e);
        }
    }

    /**
     * CreateMultipartUpload, journaled: the intent is on disk before the request and replaced by the upload id
     * after it; returns the id, registered in {@link #active}. A create the server refused (4xx) created nothing,
     * so its intent is dropped; one that got no answer may have created an upload, so its intent stays for
     * {@link #abortLeftovers} to resolve.
     */
    private String create(Upload upload, Map<String, String> metadata, String contentType, MultipartJournal journal,
                          AtomicBoolean stop) {
        String key = upload.key();
        String token = UUID.randomUUID().toString();
        creating.merge(key, 1, Integer::sum);
        try {
            journal.creating(key, token);
            String uploadId;
            try {
                uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)
                        .metadata(metadata).storageClass(upload.storageClass())).uploadId();
            } catch (S3Exception e) {
                if (e.statusCode() >= 400 && e.statusCode() < 500) {
                    journal.notCreated(key, token);
                }
                throw e;
            }
            try {
                journal.started(key, token, uploadId);
            } catch (RuntimeException e) { // the intent stays (as far as the journal got): resolved by a later pass
                try {
                    client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                } catch (RuntimeException abortFailure) {
                    e.addSuppressed(abortFailure);
                }
                throw e;
            }
            active.put(uploadId, new ActiveUpload(key, stop));
            return uploadId;
        } finally {
            creating.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    private CompletedPart uploadPart(Upload upload, String uploadId, int partNumber, long offset, long length,
                                     AtomicBoolean failed) throws IOException {
        if (failed.get()) {
            throw new IOException("upload of " + upload.key() + " abandoned");
        }
        try (ContentMd5.Body body = ContentMd5.of(upload, offset, length)) {
            String etag = client.uploadPart(b -> b.bucket(bucket).key(upload.key()).uploadId(uploadId)
                            .partNumber(partNumber).contentLength(length).contentMD5(body.md5()),
                    RequestBody.fromContentProvider(body.content(), length, S3Actor.DEFAULT_CONTENT_TYPE)).eTag();
            return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
        } catch (RuntimeException e) { // the SDK wraps a failed file read in several ways
            throw FileRangeContent.readFailure(e);
        }
    }

    /**
     * Stops further parts, waits for those in flight (a part finishing after the abort could leave
     * storage behind), aborts the upload and returns what to throw.
     */
    private IOException abort(Upload upload, String uploadId, AtomicBoolean failed,
                              List<Future<CompletedPart>> futures, Throwable cause) {
        failed.set(true);
        boolean interrupted = Thread.interrupted();
        for (Future<CompletedPart> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException e) {
                    break;
                }
            }
        }
        IOException result = cause instanceof IOException io ? io
                : new IOException("multipart upload of " + upload.key() + " failed: " + S3Failures.explain(cause), cause);
        try {
            client.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(uploadId));
            journal.ended(upload.key(), uploadId);
        } catch (RuntimeException e) {
            result.addSuppressed(e);
            LOG.warn("could not abort multipart upload of {} (the next pass aborts it): {}", upload.key(),
                    S3Failures.explain(e));
        } finally {
            active.remove(uploadId);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return result;
    }

    /** Starts no further upload, and those running send no further part: each aborts itself (and leaves the journal). */
    void stop() {
        stopped.set(true);
        active.values().forEach(upload -> upload.stop().set(true));
    }

    /**
     * After {@link #stop()}: waits a little for uploads that are aborting themselves, then aborts those still
     * registered here directly, so that a stop leaves no incomplete upload behind. One that cannot be
     * aborted now stays in the journal, and the next start aborts it.
     */
    void abortLeftInFlight() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!active.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Map.Entry<String, ActiveUpload> left : active.entrySet()) {
            String uploadId = left.getKey();
            String key = left.getValue().key();
            try {
                client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                journal.ended(key, uploadId);
                LOG.info("aborted the multipart upload of {}: stopped before it completed", key);
            } catch (NoSuchUploadException e) {
                journal.ended(key, uploadId);
            } catch (RuntimeException e) {
                LOG.warn("could not abort the multipart upload of {} (the next start aborts it): {}", key,
                        S3Failures.explain(e));
            }
            active.remove(uploadId);
        }
    }
}
