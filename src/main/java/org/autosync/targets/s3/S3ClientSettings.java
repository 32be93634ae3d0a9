package org.autosync.targets.s3;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How to reach an S3 service.
 *
 * @param endpoint    endpoint override for S3-compatible servers (MinIO, Ceph, Swift s3api,
 *                    S3Proxy), or null for AWS; when set, path-style addressing is used
 * @param region      signing region, or null for the SDK's default region chain (falling back to
 *                    {@code us-east-1} when an endpoint is given)
 * @param credentials explicit credentials, or null for the SDK's default chain (environment,
 *                    system properties, profile, container, instance)
 * @param parallelism how many requests the caller runs at once; sizes the connection pool
 */
public record S3ClientSettings(URI endpoint, String region, AwsCredentialsProvider credentials,
                               int parallelism) {

    public S3ClientSettings {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
            throw new IllegalArgumentException("endpoint must be an absolute http(s) URL: " + endpoint);
        }
        if (region != null && region.isBlank()) {
            region = null;
        }
    }

    /** AWS proper: default region and credential chains. */
    public static S3ClientSettings aws(int parallelism) {
        return new S3ClientSettings(null, null, null, parallelism);
    }

    /** The pool size the factory uses: two connections per concurrent request plus headroom. */
    public int maxConnections() {
        return parallelism * 2 + 4;
    }

    @Override
    public String toString() {
        // never print credentials
        return "S3ClientSettings[endpoint=" + endpoint + ", region=" + region + ", credentials="
                + (credentials == null ? "default chain" : credentials.getClass().getSimpleName())
                + ", parallelism=" + parallelism + "]";
    }
}
