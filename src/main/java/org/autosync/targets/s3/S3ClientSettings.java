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
 * @param parallelism     uploads one job runs at once (its threads)
 * @param partConcurrency parts of one multipart upload in flight at once ({@link S3ActorSettings#partConcurrency()})
 * @param jobs            jobs sharing the client; with the two above, sizes the connection pool ({@link #maxConnections()})
 */
public record S3ClientSettings(URI endpoint, String region, AwsCredentialsProvider credentials,
                               int parallelism, int partConcurrency, int jobs) {

    /** Connections a job holds besides its uploads: a listing's prefetched page, and the pass's own request. */
    static final int LISTING_CONNECTIONS = 2;
    /** Connections of each client beyond its jobs' work: event deletes, bucket creation, journal aborts, and
     *  connections being replaced after a failure. */
    static final int HEADROOM = 4;

    public S3ClientSettings {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        if (partConcurrency < 1) {
            throw new IllegalArgumentException("partConcurrency must be at least 1, was " + partConcurrency);
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, was " + jobs);
        }
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
            throw new IllegalArgumentException("endpoint must be an absolute http(s) URL: " + endpoint);
        }
        if (region != null && region.isBlank()) {
            region = null;
        }
    }

    /** One job with {@code parallelism} uploads at once, each of the default {@link S3ActorSettings#DEFAULT_PART_CONCURRENCY} parts. */
    public S3ClientSettings(URI endpoint, String region, AwsCredentialsProvider credentials, int parallelism) {
        this(endpoint, region, credentials, parallelism, S3ActorSettings.DEFAULT_PART_CONCURRENCY, 1);
    }

    /** The same for uploads of {@code partConcurrency} parts at once. */
    public S3ClientSettings withPartConcurrency(int partConcurrency) {
        return new S3ClientSettings(endpoint, region, credentials, parallelism, partConcurrency, jobs);
    }

    /** The same for a client that {@code jobs} jobs share, each running {@link #parallelism()} uploads at once. */
    public S3ClientSettings sharedBy(int jobs) {
        return new S3ClientSettings(endpoint, region, credentials, parallelism, partConcurrency, jobs);
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

    /**
     * The pool size the factory uses, from the work the client serves at most at once:
     * {@code jobs x (parallelism x partConcurrency + LISTING_CONNECTIONS) + HEADROOM}. Each of a job's
     * {@code parallelism} uploads holds up to {@code partConcurrency} connections (a multipart upload's parts; a
     * single PUT holds one), its pass one for the listing's prefetched page and one for its own request (the first
     * page, a HEAD, a delete batch). A part that waits for a connection instead can time out and abort its upload.
     */
    public int maxConnections() {
        return jobs * (parallelism * partConcurrency + LISTING_CONNECTIONS) + HEADROOM;
    }

    @Override
    public String toString() {
        // never print credentials
        return "S3ClientSettings[endpoint=" + endpoint + ", region=" + region + ", credentials="
                + (credentials == null ? "default chain" : credentials.getClass().getSimpleName())
                + ", parallelism=" + parallelism + ", partConcurrency=" + partConcurrency + ", jobs=" + jobs + "]";
    }
}
