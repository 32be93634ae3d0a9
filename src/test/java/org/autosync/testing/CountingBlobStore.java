package org.autosync.testing;

import java.io.InputStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import org.autosync.embedded.EmbeddedS3;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Counts what S3Proxy's request handler asks of the blob store of an {@link EmbeddedS3}, one count per client
 * request, by type ({@link #requestCounts()}); for tests and the benchmark, it can also slow part uploads down
 * ({@link #partDelay}) and report each object stored ({@link #onStored}). {@link #start} builds a server behind one.
 *
 * <p>It extends S3Proxy's {@link ForwardingBlobStore} because S3Proxy unwraps that class to find the
 * store's type (and so its quirks, e.g. the multipart stub of the filesystem store). The handler also
 * makes bookkeeping calls that are not client requests; those are forwarded uncounted:
 * <ul>
 *   <li>the {@code .s3proxy-mpu-stub-*} object written at CreateMultipartUpload and removed at
 *       Complete/Abort;</li>
 *   <li>{@code blobMetadataIfPresent}/{@code blobExists} (conditional-write and multipart checks) and
 *       the {@code (container, name)} convenience forms, which only the handler's internals use;</li>
 *   <li>{@code headBucket}/{@code containerExists}, which every listing and multipart request
 *       performs first (a client HeadBucket is not distinguished from these).</li>
 * </ul>
 * Default methods of {@link BlobStore} that {@link ForwardingBlobStore} does not override are
 * overridden here to go straight to the delegate, so a default implementation never re-enters the
 * counted methods (e.g. {@code removeBlobs} calling {@code removeBlob} once per key).
 */
public final class CountingBlobStore extends ForwardingBlobStore {

    /** Stable names of {@link #requestCounts()}. */
    public static final String LIST = "LIST";
    public static final String PUT = "PUT";
    public static final String HEAD = "HEAD";
    public static final String GET = "GET";
    public static final String DELETE = "DELETE";
    /** Every multipart request: create, part, complete and abort (also counted one by one below). */
    public static final String MULTIPART = "MULTIPART";
    public static final String MULTIPART_CREATE = "MULTIPART_CREATE";
    public static final String MULTIPART_PART = "MULTIPART_PART";
    public static final String MULTIPART_COMPLETE = "MULTIPART_COMPLETE";
    public static final String MULTIPART_ABORT = "MULTIPART_ABORT";
    public static final String CREATE_BUCKET = "CREATE_BUCKET";

    /** A server and the counting store in front of its own. */
    public record Counted(EmbeddedS3 server, CountingBlobStore store) {
    }

    /** Counted request types; their names are those above. */
    private enum Kind {
        LIST, PUT, HEAD, GET, DELETE, MULTIPART, MULTIPART_CREATE, MULTIPART_PART, MULTIPART_COMPLETE,
        MULTIPART_ABORT, CREATE_BUCKET
    }

    private static final String MPU_STUB_PREFIX = ".s3proxy-mpu-stub-";

    private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
    private final AtomicLong partsInFlight = new AtomicLong();
    private final AtomicLong maxPartsInFlight = new AtomicLong();

    /** Builds {@code server} behind a counting store. */
    public static Counted start(EmbeddedS3.Builder server) {
        AtomicReference<CountingBlobStore> store = new AtomicReference<>();
        EmbeddedS3 started = server.blobStore(delegate -> {
            store.set(new CountingBlobStore(delegate));
            return store.get();
        }).build();
        return new Counted(started, store.get());
    }

    private CountingBlobStore(BlobStore delegate) {
        super(delegate);
        for (Kind kind : Kind.values()) {
            counts.put(kind, new AtomicLong());
        }
    }

    /**
     * Requests served since start or the last {@link #resetCounts()}, by type: {@link #LIST},
     * {@link #PUT}, {@link #HEAD}, {@link #GET}, {@link #DELETE} (one per DeleteObject or
     * DeleteObjects request), {@link #MULTIPART} (and its parts {@link #MULTIPART_CREATE},
     * {@link #MULTIPART_PART}, {@link #MULTIPART_COMPLETE}, {@link #MULTIPART_ABORT}) and
     * {@link #CREATE_BUCKET}. Every name is present, zero included. Requests refused before reaching
     * the store (bad signature, malformed) are not counted. HeadBucket is not counted.
     */
    public Map<String, Long> requestCounts() {
        Map<String, Long> result = new LinkedHashMap<>();
        counts.forEach((kind, n) -> result.put(kind.name(), n.get()));
        return result;
    }

    public void resetCounts() {
        counts.values().forEach(n -> n.set(0));
        maxPartsInFlight.set(0);
    }

    /** The most multipart part uploads the server was receiving at one time since the last reset. */
    public long maxConcurrentParts() {
        return maxPartsInFlight.get();
    }

    private volatile long partDelayMillis;
    private volatile BiConsumer<String, String> onStored = (bucket, key) -> { };

    /**
     * Makes every multipart part upload take at least this long at the server (zero, the default, for
     * none): a slow link, so that tests can interrupt a large upload while its parts are in flight.
     */
    public void partDelay(Duration delay) {
        partDelayMillis = delay.toMillis();
    }

    /**
     * Calls {@code listener} with (bucket, key) each time an object is stored, after its PutObject or
     * CompleteMultipartUpload: the moment a client could first read it. Runs on the server's request thread.
     */
    public void onStored(BiConsumer<String, String> listener) {
        onStored = Objects.requireNonNull(listener, "listener");
    }

    private void count(Kind kind) {
        counts.get(kind).incrementAndGet();
    }

    private void countMultipart(Kind kind) {
        count(Kind.MULTIPART);
        count(kind);
    }

    private static boolean isStub(String key) {
        return key != null && key.startsWith(MPU_STUB_PREFIX);
    }

    // ---- listing

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        count(Kind.LIST);
        return super.list(request);
    }

    @Override
    public ListObjectsResponse listV1(ListObjectsRequest request) {
        count(Kind.LIST);
        return delegate().listV1(request);
    }

    // ---- buckets

    @Override
    public CreateBucketResponse createContainer(CreateBucketRequest request) {
        count(Kind.CREATE_BUCKET);
        return super.createContainer(request);
    }

    @Override
    public CreateBucketResponse createContainer(String container) {
        count(Kind.CREATE_BUCKET);
        return delegate().createContainer(container);
    }

    @Override
    public HeadBucketResponse headBucket(HeadBucketRequest request) {
        return super.headBucket(request);
    }

    @Override
    public boolean containerExists(String container) {
        return delegate().containerExists(container);
    }

    // ---- objects

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
        if (isStub(request.key())) {
            return super.putBlob(request, payload);
        }
        count(Kind.PUT);
        PutObjectResponse response = super.putBlob(request, payload);
        onStored.accept(request.bucket(), request.key());
        return response;
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        count(Kind.HEAD);
        return super.blobMetadata(request);
    }

    @Override
    public HeadObjectResponse blobMetadata(String container, String name) {
        return delegate().blobMetadata(container, name);
    }

    @Override
    public HeadObjectResponse blobMetadataIfPresent(HeadObjectRequest request) {
        return delegate().blobMetadataIfPresent(request);
    }

    @Override
    public HeadObjectResponse blobMetadataIfPresent(String container, String name) {
        return delegate().blobMetadataIfPresent(container, name);
    }

    @Override
    public boolean blobExists(String container, String name) {
        return delegate().blobExists(container, name);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        count(Kind.GET);
        return super.getBlob(request);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(String container, String name) {
        count(Kind.GET);
        return delegate().getBlob(container, name);
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        if (!isStub(request.key())) {
            count(Kind.DELETE);
        }
        return super.removeBlob(request);
    }

    @Override
    public void removeBlob(String container, String name) {
        if (!isStub(name)) {
            count(Kind.DELETE);
        }
        delegate().removeBlob(container, name);
    }

    @Override
    public DeleteObjectResponse removeBlob(String container, String name, String versionId) {
        if (!isStub(name)) {
            count(Kind.DELETE);
        }
        return delegate().removeBlob(container, name, versionId);
    }

    /** One DeleteObjects request counts once, however many keys it names. */
    @Override
    public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
        count(Kind.DELETE);
        return delegate().removeBlobs(request);
    }

    // ---- multipart

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        countMultipart(Kind.MULTIPART_CREATE);
        return super.initiateMultipartUpload(request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload mpu, UploadPartRequest request,
                                                  InputStream payload) {
        countMultipart(Kind.MULTIPART_PART);
        maxPartsInFlight.accumulateAndGet(partsInFlight.incrementAndGet(), Math::max);
        try {
            long delay = partDelayMillis;
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.uploadMultipartPart(mpu, request, payload);
        } finally {
            partsInFlight.decrementAndGet();
        }
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload mpu,
                                                                   CompleteMultipartUploadRequest request) {
        countMultipart(Kind.MULTIPART_COMPLETE);
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(mpu, request);
        onStored.accept(request.bucket(), request.key());
        return response;
    }

    @Override
    public void abortMultipartUpload(MultipartUpload mpu) {
        countMultipart(Kind.MULTIPART_ABORT);
        super.abortMultipartUpload(mpu);
    }

    @Override
    public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String container) {
        return super.listMultipartUploads(container);
    }
}
