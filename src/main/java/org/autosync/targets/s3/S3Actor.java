package org.autosync.targets.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.autosync.targets.Actor;
import org.autosync.targets.FileChangedException;
import org.autosync.targets.MultipartJournal;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;
import org.autosync.targets.StoredMtime;
import org.autosync.targets.Upload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@link Actor} for S3 and S3-compatible servers, on a synchronous AWS SDK v2 {@link S3Client}
 * (build one with {@link S3ClientFactory}).
 *
 * <p><b>Why the SDK client and not camel-aws2-s3 or the SDK's async multipart.</b> camel-aws2-s3's
 * {@code multiPartUpload} uploads parts one after another, from a single consumed stream (a failed
 * part cannot be re-read for a retry), and silently drops user metadata on that path, so large files
 * would lose their {@code mtime}. The SDK's own multipart support lives in the async client
 * ({@code S3AsyncClient} with {@code multipartEnabled}, or the transfer manager): that brings a second
 * HTTP stack (Netty or CRT) and sends flexible CRC checksums by default, which MinIO, Ceph RGW and
 * Swift's s3api reject. Here parts are plain {@code UploadPart} calls on the same tuned synchronous
 * client, run {@code partConcurrency} at a time, each streamed from its own file range so a retry
 * re-reads it from disk and heap use does not grow with the file size.
 *
 * <p><b>Ownership.</b> The constructors borrow the client (never closed here). The executor (multipart
 * parts and the listing's next page) is borrowed when given, otherwise the actor owns a pool of daemon threads and shuts it down in
 * {@link #close()}. {@link #create(S3ClientSettings, String, S3ActorSettings)} builds and owns both.
 *
 * <p>Thread-safe: uploads, deletes and listings may run in parallel.
 */
public final class S3Actor implements Actor {

    private static final Logger LOG = LoggerFactory.getLogger(S3Actor.class);

    /** DeleteObjects accepts at most this many keys. */
    public static final int DELETE_BATCH = 1000;
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";

    private static final AtomicInteger POOL_ID = new AtomicInteger();

    private final S3Client client;
    private final String bucket;
    private final S3ActorSettings settings;
    private final ExecutorService executor;
    private final boolean ownsClient;
    private final boolean ownsExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Multipart uploads in progress: upload id to its key and its "stop sending parts" flag. */
    private final Map<String, ActiveUpload> active = new java.util.concurrent.ConcurrentHashMap<>();

    private record ActiveUpload(String key, AtomicBoolean stop) {
    }
    private volatile MultipartJournal journal = NO_JOURNAL;

    private static final MultipartJournal NO_JOURNAL = new MultipartJournal() {
        @Override
        public void started(String key, String uploadId) {
        }

        @Override
        public void ended(String key, String uploadId) {
        }

        @Override
        public Map<String, String> pending() {
            return Map.of();
        }
    };

    /** Borrows the client and the executor for parts and listing pages; {@link #close()} closes neither. */
    public S3Actor(S3Client client, String bucket, S3ActorSettings settings, ExecutorService executor) {
        this(client, bucket, settings, Objects.requireNonNull(executor, "executor"), false, false);
    }

    /** Borrows the client; owns a pool for multipart parts and listing pages that {@link #close()} shuts down. */
    public S3Actor(S3Client client, String bucket, S3ActorSettings settings) {
        this(client, bucket, settings, newPool(), false, true);
    }

    private S3Actor(S3Client client, String bucket, S3ActorSettings settings, ExecutorService executor,
                    boolean ownsClient, boolean ownsExecutor) {
        this.client = Objects.requireNonNull(client, "client");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must not be blank");
        }
        this.bucket = bucket;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = executor;
        this.ownsClient = ownsClient;
        this.ownsExecutor = ownsExecutor;
    }

    /** Builds a client from {@code clientSettings}; the actor owns it and closes it. */
    public static S3Actor create(S3ClientSettings clientSettings, String bucket, S3ActorSettings settings) {
        S3Client client = S3ClientFactory.create(clientSettings);
        try {
            return new S3Actor(client, bucket, settings, newPool(), true, true);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    public String bucket() {
        return bucket;
    }

    public S3ActorSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ journal

    /**
     * Aborts the multipart uploads a previous run left in {@code journal} (it was killed between
     * CreateMultipartUpload and Complete/Abort), then records every new multipart upload there. An upload
     * the server no longer knows (NoSuchUpload, 404) is simply forgotten; one that cannot be aborted now
     * (endpoint down) stays in the journal for the next start. A clean start costs no request.
     */
    @Override
    public void useJournal(MultipartJournal journal) {
        Objects.requireNonNull(journal, "journal");
        Map<String, String> pending = journal.pending();
        int aborted = 0;
        for (Map.Entry<String, String> upload : pending.entrySet()) {
            String uploadId = upload.getKey();
            String key = upload.getValue();
            try {
                client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                journal.ended(key, uploadId);
                aborted++;
            } catch (NoSuchUploadException e) {
                journal.ended(key, uploadId);
            } catch (RuntimeException e) {
                if (e instanceof S3Exception s3 && s3.statusCode() == 404) {
                    journal.ended(key, uploadId);
                } else {
                    LOG.warn("could not abort the multipart upload of {} left by an earlier run (kept for the next start): {}",
                            key, explainFailure(e));
                }
            }
        }
        if (aborted > 0) {
            LOG.info("aborted {} incomplete multipart upload(s) left by an earlier run that was stopped mid-upload", aborted);
        }
        this.journal = journal;
    }

    // ------------------------------------------------------------------ list

    /**
     * Streams the bucket's objects under {@code prefix}, one ListObjectsV2 page at a time, asking for the
     * next page while the caller consumes the current one (so at most two pages are held). The first
     * page is fetched here: a missing bucket is created (when allowed; logged once at INFO) and yields
     * an empty listing, or, when not allowed (dry run), yields an empty listing with an INFO line.
     * Any other failure, here or on a later page, is thrown unchecked from {@code hasNext()}.
     */
    @Override
    public RemoteListing list(String prefix) {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket);
        if (prefix != null && !prefix.isEmpty()) {
            request.prefix(prefix);
        }
        ListObjectsV2Request firstRequest = request.build();
        ListObjectsV2Response first;
        try {
            first = client.listObjectsV2(firstRequest);
        } catch (NoSuchBucketException e) {
            return missingBucket();
        } catch (S3Exception e) {
            if (isNoSuchBucket(e)) {
                return missingBucket();
            }
            throw e;
        }
        return new PrefetchingListing(firstRequest, first);
    }

    private RemoteListing missingBucket() {
        if (settings.createBucketIfMissing()) {
            createBucket();
            LOG.info("created bucket {}", bucket);
        } else {
            LOG.info("bucket {} does not exist (not created: bucket creation is off); listing it as empty", bucket);
        }
        return RemoteListing.of(java.util.Collections.emptyIterator(), true);
    }

    private void createBucket() {
        CreateBucketRequest.Builder request = CreateBucketRequest.builder().bucket(bucket);
        Region region = client.serviceClientConfiguration().region();
        if (region != null && !Region.US_EAST_1.equals(region)
                && client.serviceClientConfiguration().endpointOverride().isEmpty()) {
            request.createBucketConfiguration(CreateBucketConfiguration.builder()
                    .locationConstraint(region.id()).build());
        }
        try {
            client.createBucket(request.build());
        } catch (BucketAlreadyOwnedByYouException e) {
            // created concurrently by another pass: fine
        }
    }

    /**
     * Walks the pages, the next one requested on the actor's pool as soon as the current one arrives: the
     * server prepares it while the caller merges. A failed page request surfaces from {@link #hasNext()}.
     */
    private final class PrefetchingListing implements RemoteListing {
        private final ListObjectsV2Request request;
        private Iterator<S3Object> current;
        private Future<ListObjectsV2Response> next;

        PrefetchingListing(ListObjectsV2Request request, ListObjectsV2Response first) {
            this.request = request;
            take(first);
        }

        private void take(ListObjectsV2Response page) {
            current = page.contents().iterator();
            String token = page.nextContinuationToken();
            next = Boolean.TRUE.equals(page.isTruncated()) && token != null && !token.isEmpty()
                    ? executor.submit(() -> client.listObjectsV2(request.toBuilder().continuationToken(token).build()))
                    : null;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (next == null) {
                    return false;
                }
                take(await(next));
            }
            return true;
        }

        @Override
        public RemoteObject next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            S3Object o = current.next();
            return new RemoteObject(o.key(), o.size() == null ? 0L : o.size(), unquote(o.eTag()));
        }

        @Override
        public boolean alreadySorted() {
            return true;
        }

        @Override
        public void close() {
            if (next != null) {
                next.cancel(true);
                next = null;
            }
            current = java.util.Collections.emptyIterator();
        }

        private ListObjectsV2Response await(Future<ListObjectsV2Response> page) {
            try {
                return page.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while listing " + bucket, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    // ------------------------------------------------------------------ upload

    /**
     * Uploads one file: a single streamed PutObject below {@code multipartThreshold}, else a multipart
     * upload with parts in parallel. Stores the source mtime as {@code x-amz-meta-mtime} in rclone's
     * format (see {@link StoredMtime}) plus {@link Upload#metadata()}, on both paths.
     *
     * @return the ETag without quotes
     * @throws FileChangedException when the file is not {@link Upload#size()} bytes while it is read
     *         (a multipart upload is aborted; a single PUT of a file that grew may have landed and is
     *         replaced on the next pass)
     * @throws IOException when the file cannot be read
     */
    @Override
    public String upload(Upload upload) throws IOException {
        Objects.requireNonNull(upload, "upload");
        Map<String, String> metadata = new LinkedHashMap<>();
        if (upload.metadata() != null) {
            metadata.putAll(upload.metadata());
        }
        metadata.put(StoredMtime.KEY, StoredMtime.format(upload.mtimeMillis()));
        String contentType = upload.contentType() != null ? upload.contentType() : DEFAULT_CONTENT_TYPE;
        if (upload.size() >= settings.multipartThreshold()) {
            return uploadMultipart(upload, metadata, contentType);
        }
        return uploadSingle(upload, metadata, contentType);
    }

    private String uploadSingle(Upload upload, Map<String, String> metadata, String contentType) throws IOException {
        try (FileRangeContent content = new FileRangeContent(upload.file(), 0, upload.size())) {
            String etag = client.putObject(b -> b.bucket(bucket).key(upload.key())
                            .contentLength(upload.size()).contentType(contentType).metadata(metadata)
                            .storageClass(upload.storageClass()),
                    RequestBody.fromContentProvider(content, upload.size(), contentType)).eTag();
            checkSizeUnchanged(upload);
            return unquote(etag);
        } catch (RuntimeException e) { // the SDK wraps a failed file read in several ways
            throw rethrowIo(e, upload);
        }
    }

    private String uploadMultipart(Upload upload, Map<String, String> metadata, String contentType)
            throws IOException {
        long size = upload.size();
        long partSize = settings.partSizeFor(size);
        int partCount = (int) ((size + partSize - 1) / partSize);
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(upload.key())
                .contentType(contentType).metadata(metadata).storageClass(upload.storageClass())).uploadId();
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<CompletedPart>> futures = new ArrayList<>(Math.min(partCount, 1024));
        MultipartJournal journal = this.journal;
        try {
            journal.started(upload.key(), uploadId);
            active.put(uploadId, new ActiveUpload(upload.key(), failed));
            if (closed.get()) {
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
            checkSizeUnchanged(upload);
            parts.sort(Comparator.comparing(CompletedPart::partNumber));
            String etag = client.completeMultipartUpload(b -> b.bucket(bucket).key(upload.key())
                    .uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())).eTag();
            active.remove(uploadId);
            journal.ended(upload.key(), uploadId);
            return unquote(etag);
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

    private CompletedPart uploadPart(Upload upload, String uploadId, int partNumber, long offset, long length,
                                     AtomicBoolean failed) throws IOException {
        if (failed.get()) {
            throw new IOException("upload of " + upload.key() + " abandoned");
        }
        try (FileRangeContent content = new FileRangeContent(upload.file(), offset, length)) {
            String etag = client.uploadPart(b -> b.bucket(bucket).key(upload.key()).uploadId(uploadId)
                            .partNumber(partNumber).contentLength(length),
                    RequestBody.fromContentProvider(content, length, DEFAULT_CONTENT_TYPE)).eTag();
            return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
        } catch (RuntimeException e) { // the SDK wraps a failed file read in several ways
            throw rethrowIo(e, upload);
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
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    break;
                }
            }
        }
        IOException result = cause instanceof IOException io ? io
                : new IOException("multipart upload of " + upload.key() + " failed: " + explainFailure(cause), cause);
        try {
            client.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(uploadId));
            journal.ended(upload.key(), uploadId);
        } catch (RuntimeException e) {
            result.addSuppressed(e);
            LOG.warn("could not abort multipart upload of {} (the next start aborts it): {}", upload.key(),
                    explainFailure(e));
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

    private static void checkSizeUnchanged(Upload upload) throws IOException {
        long now = Files.size(upload.file());
        if (now != upload.size()) {
            throw new FileChangedException(upload.file(), "size " + now + ", expected " + upload.size());
        }
    }

    /** Finds the IOException the SDK wrapped (the file changed or could not be read), else rethrows. */
    private static IOException rethrowIo(RuntimeException e, Upload upload) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileChangedException fc) {
                return new FileChangedException(fc.file(), fc.getMessage().replaceFirst("^.*\\((.*)\\)$", "$1"));
            }
            if (t instanceof UncheckedIOException u && u.getCause() != null) {
                return u.getCause();
            }
        }
        throw e;
    }

    // ------------------------------------------------------------------ delete

    /**
     * Deletes with DeleteObjects in quiet mode, {@value #DELETE_BATCH} keys per request. Keys the
     * server reports in {@code Errors} come back as failures with its code and message; when a whole
     * request fails, each of its keys comes back with the explanation.
     */
    @Override
    public List<DeleteFailure> delete(List<String> keys) {
        List<DeleteFailure> failures = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH));
            List<ObjectIdentifier> ids = new ArrayList<>(batch.size());
            for (String key : batch) {
                ids.add(ObjectIdentifier.builder().key(key).build());
            }
            try {
                DeleteObjectsResponse response = client.deleteObjects(b -> b.bucket(bucket)
                        .delete(Delete.builder().objects(ids).quiet(true).build()));
                for (S3Error error : response.errors()) {
                    failures.add(new DeleteFailure(error.key(), error.code() + ": " + error.message()));
                }
            } catch (RuntimeException e) {
                String reason = explainFailure(e);
                for (String key : batch) {
                    failures.add(new DeleteFailure(key, reason));
                }
            }
        }
        return failures;
    }

    // ------------------------------------------------------------------ copy

    /**
     * Server-side CopyObject within the bucket, with the object's metadata (including {@code mtime})
     * and content type copied. Objects over 5 GiB would need a multipart copy and fail here.
     */
    @Override
    public void copy(String fromKey, String toKey) {
        client.copyObject(b -> b.sourceBucket(bucket).sourceKey(fromKey)
                .destinationBucket(bucket).destinationKey(toKey)
                .metadataDirective(MetadataDirective.COPY));
    }

    // ------------------------------------------------------------------ head

    /** HeadObject; the {@code mtime} user metadata in milliseconds, empty on 404 or when absent. */
    @Override
    public Optional<Long> storedMtimeMillis(String key) {
        HeadObjectResponse head;
        try {
            head = client.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        for (Map.Entry<String, String> entry : head.metadata().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(StoredMtime.KEY)) {
                return StoredMtime.parseMillis(entry.getValue());
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ describe / close

    @Override
    public String explain(Throwable failure) {
        return explainFailure(failure);
    }

    @Override
    public boolean isConfigurationError(Throwable failure) {
        return isConfigurationFailure(failure);
    }

    /** {@code s3://bucket at http://host:port}, or {@code s3://bucket in <region>} on AWS; no secrets. */
    @Override
    public String describe() {
        Optional<URI> endpoint = client.serviceClientConfiguration().endpointOverride();
        if (endpoint.isPresent()) {
            return "s3://" + bucket + " at " + withoutUserInfo(endpoint.get());
        }
        Region region = client.serviceClientConfiguration().region();
        return "s3://" + bucket + (region == null ? "" : " in " + region.id());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // uploads still running send no further part: each aborts itself (and leaves the journal)
        active.values().forEach(upload -> upload.stop().set(true));
        if (ownsExecutor) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        abortLeftInFlight();
        if (ownsClient) {
            client.close();
        }
    }

    /**
     * On close: waits a little for uploads that are aborting themselves, then aborts those still
     * registered here directly, so that a stop leaves no incomplete upload behind. One that cannot be
     * aborted now stays in the journal, and the next start aborts it.
     */
    private void abortLeftInFlight() {
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
                        explainFailure(e));
            }
            active.remove(uploadId);
        }
    }

    @Override
    public String toString() {
        return "S3Actor[" + describe() + "]";
    }

    // ------------------------------------------------------------------ failure classification

    /**
     * One line for a CLI user: what went wrong talking to S3, e.g. {@code cannot reach the S3 endpoint
     * http://127.0.0.1:9000: Connection refused} or {@code the S3 endpoint rejected the credentials
     * (InvalidAccessKeyId: ...)}. Never includes secrets.
     */
    public static String explainFailure(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        Throwable unreachable = find(failure, ConnectException.class, UnknownHostException.class,
                NoRouteToHostException.class);
        if (unreachable != null) {
            String what = unreachable instanceof UnknownHostException
                    ? "unknown host " + unreachable.getMessage()
                    : unreachable.getMessage();
            return "cannot reach the S3 endpoint " + endpointOf(unreachable) + ": " + what;
        }
        AwsServiceException service = find(failure, AwsServiceException.class);
        if (service != null) {
            String code = errorCode(service);
            String detail = code + ": " + errorMessage(service) + ", HTTP " + service.statusCode();
            if (isCredentialCode(code)) {
                return "the S3 endpoint rejected the credentials (" + detail + ")";
            }
            if (isAccessDenied(code, service.statusCode())) {
                return "access denied by the S3 endpoint (" + detail + "): check the bucket policy and the user's permissions";
            }
            if ("NoSuchBucket".equals(code)) {
                return "the bucket does not exist (" + detail + ")";
            }
            if ("InvalidBucketName".equals(code)) {
                return "invalid bucket name (" + detail + ")";
            }
            return "the S3 endpoint answered with an error (" + detail + ")";
        }
        FileChangedException changed = find(failure, FileChangedException.class);
        if (changed != null) {
            return changed.getMessage();
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        if (root != failure && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return message;
    }

    /**
     * Whether retrying cannot help until someone changes the configuration: the endpoint cannot be
     * reached (connection refused, unknown host, no route), the credentials are rejected, access is
     * denied, the bucket does not exist or its name is invalid, or there are no credentials at all.
     * Everything else (timeouts, 5xx, throttling, a file that changed) counts as transient.
     */
    public static boolean isConfigurationFailure(Throwable failure) {
        if (failure == null) {
            return false;
        }
        if (find(failure, ConnectException.class, UnknownHostException.class, NoRouteToHostException.class) != null) {
            return true;
        }
        AwsServiceException service = find(failure, AwsServiceException.class);
        if (service != null) {
            String code = errorCode(service);
            return isCredentialCode(code) || isAccessDenied(code, service.statusCode())
                    || "NoSuchBucket".equals(code) || "InvalidBucketName".equals(code);
        }
        SdkClientException client = find(failure, SdkClientException.class);
        return client != null && client.getMessage() != null
                && client.getMessage().contains("Unable to load credentials");
    }

    private static boolean isCredentialCode(String code) {
        return switch (code) {
            case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken",
                 "TokenRefreshRequired", "AuthorizationHeaderMalformed", "InvalidSecurity",
                 "InvalidClientTokenId", "UnrecognizedClientException", "MissingSecurityHeader" -> true;
            default -> false;
        };
    }

    private static boolean isAccessDenied(String code, int status) {
        return "AccessDenied".equals(code) || "AllAccessDisabled".equals(code)
                || (status == 403 && !isCredentialCode(code));
    }

    private static String errorCode(AwsServiceException e) {
        String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
        if (code == null || code.isBlank()) {
            return e.statusCode() == 403 ? "AccessDenied" : e.statusCode() == 404 ? "NotFound" : "HTTP" + e.statusCode();
        }
        return code;
    }

    private static String errorMessage(AwsServiceException e) {
        String message = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
        return message != null ? message : String.valueOf(e.getMessage());
    }

    private static boolean isNoSuchBucket(S3Exception e) {
        return e.statusCode() == 404 && "NoSuchBucket".equals(errorCode(e));
    }

    private static String endpointOf(Throwable unreachable) {
        if (unreachable instanceof org.apache.http.conn.HttpHostConnectException h && h.getHost() != null) {
            return h.getHost().toURI();
        }
        return "(see the endpoint setting)";
    }

    @SafeVarargs
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T find(Throwable failure, Class<? extends T>... types) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            for (Class<? extends T> type : types) {
                if (type.isInstance(t)) {
                    return (T) t;
                }
            }
            for (Throwable s : t.getSuppressed()) {
                for (Class<? extends T> type : types) {
                    if (type.isInstance(s)) {
                        return (T) s;
                    }
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ helpers

    static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    private static String withoutUserInfo(URI uri) {
        if (uri.getUserInfo() == null) {
            return uri.toString();
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (java.net.URISyntaxException e) {
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        }
    }

    private static ExecutorService newPool() {
        int id = POOL_ID.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "s3-actor-" + id + "-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newCachedThreadPool(factory);
    }
}
