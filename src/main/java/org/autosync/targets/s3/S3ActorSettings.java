package org.autosync.targets.s3;

/**
 * Upload and bucket behaviour of an {@link S3Actor}.
 *
 * @param multipartThreshold files of at least this many bytes go multipart (default 64 MiB)
 * @param partSize           preferred part size (default 16 MiB, at least 5 MiB, S3's minimum);
 *                           grown per file so that no upload needs more than 10,000 parts
 * @param partConcurrency    parts of one file in flight at once (default 4)
 * @param createBucketIfMissing whether {@link S3Actor#list} creates a missing bucket (false for dry runs)
 */
public record S3ActorSettings(long multipartThreshold, long partSize, int partConcurrency,
                              boolean createBucketIfMissing) {

    public static final long MIB = 1024L * 1024L;
    public static final long DEFAULT_MULTIPART_THRESHOLD = 64 * MIB;
    public static final long DEFAULT_PART_SIZE = 16 * MIB;
    public static final int DEFAULT_PART_CONCURRENCY = 4;
    /** S3's smallest part (all but the last). */
    public static final long MIN_PART_SIZE = 5 * MIB;
    /** S3's largest part. */
    public static final long MAX_PART_SIZE = 5L * 1024 * MIB;
    /** S3's most parts per upload. */
    public static final int MAX_PARTS = 10_000;

    public S3ActorSettings {
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("partSize must be between 5 MiB and 5 GiB, was " + partSize);
        }
        if (multipartThreshold < 1) {
            throw new IllegalArgumentException("multipartThreshold must be positive, was " + multipartThreshold);
        }
        if (partConcurrency < 1) {
            throw new IllegalArgumentException("partConcurrency must be at least 1, was " + partConcurrency);
        }
    }

    /** The defaults, creating a missing bucket. */
    public static S3ActorSettings defaults() {
        return new S3ActorSettings(DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE, DEFAULT_PART_CONCURRENCY, true);
    }

    public S3ActorSettings withMultipart(long threshold, long partSize) {
        return new S3ActorSettings(threshold, partSize, partConcurrency, createBucketIfMissing);
    }

    public S3ActorSettings withPartConcurrency(int concurrency) {
        return new S3ActorSettings(multipartThreshold, partSize, concurrency, createBucketIfMissing);
    }

    public S3ActorSettings withCreateBucketIfMissing(boolean create) {
        return new S3ActorSettings(multipartThreshold, partSize, partConcurrency, create);
    }

    /**
     * The part size for a file of {@code size} bytes: {@link #partSize()}, grown (in whole MiB) until
     * the file fits in {@value #MAX_PARTS} parts.
     */
    public long partSizeFor(long size) {
        long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
        if (needed <= partSize) {
            return partSize;
        }
        long grown = (needed + MIB - 1) / MIB * MIB;
        if (grown > MAX_PART_SIZE) {
            throw new IllegalArgumentException("file too large for S3 multipart upload: " + size + " bytes");
        }
        return grown;
    }
}
