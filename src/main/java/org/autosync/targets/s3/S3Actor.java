package org.autosync.targets.s3;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.autosync.targets.Actor;
import org.autosync.targets.MultipartJournal;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.StoredMtime;
import org.autosync.targets.Upload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

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
 * <p>It composes the paged listing ({@link S3Listing}), the multipart uploads with their journal
 * ({@link S3MultipartUpload}) and the reading of failures ({@link S3Failures}); single PUTs, deletes, copies
 * and HEADs are one request each and done here.
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
    private final S3MultipartUpload multipart;
    private final boolean ownsClient;
    private final boolean ownsExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();

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
        this.multipart = new S3MultipartUpload(client, bucket, settings, executor);
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

    /** Aborts the multipart uploads an earlier run left in {@code journal}, then records new ones there ({@link S3MultipartUpload#resume}). */
    @Override
    public void useJournal(MultipartJournal journal) {
        multipart.resume(journal);
    }

    // ------------------------------------------------------------------ list

    /**
     * Streams the bucket's objects under {@code prefix} ({@link S3Listing}: one page at a time, the next one
     * prefetched). The first page is fetched here: a missing bucket is created (when allowed; logged once at INFO)
     * and yields an empty listing, or, when not allowed (dry run), yields an empty listing with an INFO line.
     * Any other failure, here or on a later page, is thrown unchecked from {@code hasNext()}.
     * <p>
     * Called once per reconciliation pass, it first aborts the multipart uploads the journal still holds and
     * nothing here is working on (an abort that failed during an outage; {@link S3MultipartUpload#abortLeftovers}).
     */
    @Override
    public RemoteListing list(String prefix) {
        multipart.abortLeftovers();
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
            if (S3Failures.isNoSuchBucket(e)) {
                return missingBucket();
            }
            throw e;
        }
        return new S3Listing(client, firstRequest, first, executor);
    }

    private RemoteListing missingBucket() {
        if (settings.createBucketIfMissing()) {
            createBucket();
            LOG.info("created bucket {}", bucket);
        } else {
            LOG.info("bucket {} does not exist (not created: bucket creation is off); listing it as empty", bucket);
        }
        return RemoteListing.of(Collections.emptyIterator(), true);
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

    // ------------------------------------------------------------------ upload

    /**
     * Uploads one file: a single streamed PutObject below {@code multipartThreshold}, else a multipart
     * upload with parts in parallel ({@link S3MultipartUpload}). Stores the source mtime as {@code x-amz-meta-mtime}
     * in rclone's format (see {@link StoredMtime}) plus {@link Upload#metadata()}, on both paths.
     *
     * @return the ETag without quotes
     * @throws org.autosync.targets.FileChangedException when the file is not {@link Upload#size()} bytes while it
     *         is read (a multipart upload is aborted; a single PUT of a file that grew may have landed and is
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
            return multipart.upload(upload, metadata, contentType);
        }
        return uploadSingle(upload, metadata, contentType);
    }

    private String uploadSingle(Upload upload, Map<String, String> metadata, String contentType) throws IOException {
        try (ContentMd5.Body body = ContentMd5.of(upload, 0, upload.size())) {
            String etag = client.putObject(b -> b.bucket(bucket).key(upload.key())
                            .contentLength(upload.size()).contentMD5(body.md5()).contentType(contentType)
                            .metadata(metadata).storageClass(upload.storageClass()),
                    RequestBody.fromContentProvider(body.content(), upload.size(), contentType)).eTag();
            FileRangeContent.requireUnchangedSize(upload);
            return S3Listing.unquote(etag);
        } catch (RuntimeException e) { // the SDK wraps a failed file read in several ways
            throw FileRangeContent.readFailure(e);
        }
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
                String reason = S3Failures.explain(e);
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
        return S3Failures.explain(failure);
    }

    @Override
    public boolean isConfigurationError(Throwable failure) {
        return S3Failures.isConfigurationError(failure);
    }

    @Override
    public boolean isTransient(Throwable failure) {
        return S3Failures.isTransient(failure);
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

    /** Stops the multipart uploads (none is left incomplete), shuts down the pool and closes the client, each if owned. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        multipart.stop();
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
        multipart.abortLeftInFlight();
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "S3Actor[" + describe() + "]";
    }

    private static String withoutUserInfo(URI uri) {
        if (uri.getUserInfo() == null) {
            return uri.toString();
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
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
