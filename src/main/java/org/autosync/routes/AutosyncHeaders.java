package org.autosync.routes;

/** Message headers of the upload and delete routes, for steps an integrator adds to them. */
public final class AutosyncHeaders {

    /** Target object key; set by the key-mapping step when absent. */
    public static final String KEY = "AutosyncKey";
    /** Why a file is uploaded (new, changed, ...). */
    public static final String REASON = "AutosyncReason";
    /** {@code Map<String,String>} of extra user metadata to store on the object. */
    public static final String METADATA = "AutosyncMetadata";
    /**
     * The storage class of the upload ({@code STANDARD_IA}, {@code GLACIER_IR}, ...): the header camel-aws2-s3 reads
     * for the same purpose. Swift targets ignore it.
     */
    public static final String STORAGE_CLASS = "CamelAwsS3StorageClass";
    /** The ETag the target returned for the upload. */
    public static final String ETAG = "AutosyncETag";
    /** The job a message belongs to. */
    public static final String JOB = "AutosyncJob";
    /** Set by the delete route when it refused the message's deletes: why, in one line. */
    public static final String DELETE_REFUSED = "AutosyncDeleteRefused";

    private AutosyncHeaders() {
    }
}
