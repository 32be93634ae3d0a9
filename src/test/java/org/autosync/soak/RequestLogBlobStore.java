package org.autosync.soak;

import java.io.InputStream;
import java.util.List;
import java.util.function.Supplier;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * S3Proxy's blob store behind a {@link RequestLog}: each client request the handler passes to the store is
 * logged with its key and the times the store started and finished it ({@code EmbeddedS3.builder(dir)
 * .blobStore(d -> new RequestLogBlobStore(d, log))}). As in {@code CountingBlobStore}, the handler's bookkeeping
 * (multipart stubs, existence checks, HeadBucket before every listing) is forwarded unlogged, and the default
 * methods of {@link BlobStore} go straight to the delegate, so that none re-enters a logged method.
 */
public final class RequestLogBlobStore extends ForwardingBlobStore {

    private static final String MPU_STUB_PREFIX = ".s3proxy-mpu-stub-";

    private final RequestLog log;

    public RequestLogBlobStore(BlobStore delegate, RequestLog log) {
        super(delegate);
        this.log = log;
    }

    private <T> T logged(String kind, String key, String detail, Supplier<T> call) {
        long start = Journal.nowMicros();
        String outcome = "";
        try {
            return call.get();
        } catch (RuntimeException e) {
            outcome = " failed: " + e.getClass().getSimpleName();
            throw e;
        } finally {
            log.record(kind, key, start, Journal.nowMicros(), detail + outcome);
        }
    }

    private static boolean isStub(String key) {
        return key != null && key.startsWith(MPU_STUB_PREFIX);
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        return logged("LIST", null, "prefix=" + request.prefix(), () -> super.list(request));
    }

    @Override
    public ListObjectsResponse listV1(ListObjectsRequest request) {
        return logged("LIST", null, "v1 prefix=" + request.prefix(), () -> delegate().listV1(request));
    }

    @Override
    public CreateBucketResponse createContainer(CreateBucketRequest request) {
        return logged("CREATE_BUCKET", null, request.bucket(), () -> super.createContainer(request));
    }

    @Override
    public CreateBucketResponse createContainer(String container) {
        return logged("CREATE_BUCKET", null, container, () -> delegate().createContainer(container));
    }

    @Override
    public boolean containerExists(String container) {
        return delegate().containerExists(container);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
        if (isStub(request.key())) {
            return super.putBlob(request, payload);
        }
        return logged("PUT", request.key(), "", () -> super.putBlob(request, payload));
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        return logged("COPY", request.destinationKey(), "from " + request.sourceKey(), () -> super.copyBlob(request));
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        return logged("HEAD", request.key(), "", () -> super.blobMetadata(request));
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
        return logged("GET", request.key(), "", () -> super.getBlob(request));
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(String container, String name) {
        return logged("GET", name, "", () -> delegate().getBlob(container, name));
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        if (isStub(request.key())) {
            return super.removeBlob(request);
        }
        long start = Journal.nowMicros();
        try {
            return super.removeBlob(request);
        } finally {
            long end = Journal.nowMicros();
            log.record(RequestLog.DELETE_REQUEST, null, start, end, "1 key");
            log.record(RequestLog.DELETE, request.key(), start, end, "");
        }
    }

    @Override
    public void removeBlob(String container, String name) {
        if (isStub(name)) {
            delegate().removeBlob(container, name);
            return;
        }
        long start = Journal.nowMicros();
        try {
            delegate().removeBlob(container, name);
        } finally {
            long end = Journal.nowMicros();
            log.record(RequestLog.DELETE_REQUEST, null, start, end, "1 key");
            log.record(RequestLog.DELETE, name, start, end, "");
        }
    }

    @Override
    public DeleteObjectResponse removeBlob(String container, String name, String versionId) {
        if (isStub(name)) {
            return delegate().removeBlob(container, name, versionId);
        }
        long start = Journal.nowMicros();
        try {
            return delegate().removeBlob(container, name, versionId);
        } finally {
            long end = Journal.nowMicros();
            log.record(RequestLog.DELETE_REQUEST, null, start, end, "1 key");
            log.record(RequestLog.DELETE, name, start, end, "version " + versionId);
        }
    }

    /** One entry per key named, each with the times of the whole request. */
    @Override
    public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
        List<ObjectIdentifier> keys = request.delete().objects();
        long start = Journal.nowMicros();
        try {
            return delegate().removeBlobs(request);
        } finally {
            long end = Journal.nowMicros();
            log.record(RequestLog.DELETE_REQUEST, null, start, end, keys.size() + " keys");
            for (ObjectIdentifier k : keys) {
                log.record(RequestLog.DELETE, k.key(), start, end, "multi-delete of " + keys.size());
            }
        }
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        return logged("MULTIPART_CREATE", request.key(), "", () -> super.initiateMultipartUpload(request));
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload mpu, UploadPartRequest request, InputStream payload) {
        return logged("MULTIPART_PART", mpu.blobName(), "part " + request.partNumber(),
                () -> super.uploadMultipartPart(mpu, request, payload));
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload mpu,
                                                                   CompleteMultipartUploadRequest request) {
        return logged("MULTIPART_COMPLETE", request.key(), "", () -> super.completeMultipartUpload(mpu, request));
    }

    @Override
    public void abortMultipartUpload(MultipartUpload mpu) {
        logged("MULTIPART_ABORT", mpu.blobName(), "", () -> {
            super.abortMultipartUpload(mpu);
            return null;
        });
    }
}
