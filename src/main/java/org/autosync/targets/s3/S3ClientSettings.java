package org.autosync.targets.s3;

import java.net.URI;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

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

    /**
     * The credentials the parameters of an {@code s3://} target name: {@code access_key_env}/{@code secret_key_env}
     * or {@code profile}; null for "not given". Here rather than in {@code TargetFactory}, which Swift jobs use too:
     * a class whose code builds SDK credentials cannot even be loaded without the AWS SDK, which the bundle imports
     * optionally.
     */
    public static AwsCredentialsProvider credentials(Map<String, String> params, Map<String, String> env) {
        String accessVar = params.get("access_key_env");
        if (accessVar != null) {
            String secretVar = params.get("secret_key_env");
            String access = env.get(accessVar);
            String secret = env.get(secretVar);
            if (access == null || access.isBlank() || secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("environment variable "
                        + (access == null || access.isBlank() ? accessVar : secretVar) + " is not set");
            }
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret));
        }
        String profile = params.get("profile");
        return profile != null ? ProfileCredentialsProvider.create(profile) : null;
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
