package org.autosync.targets.s3;

import java.time.Duration;
import java.util.Objects;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the synchronous {@link S3Client} Autosync uses, tuned to work against AWS and against
 * S3-compatible servers alike:
 * <ul>
 *   <li>endpoint override with path-style addressing (MinIO, Ceph, Swift s3api, S3Proxy);</li>
 *   <li>no aws-chunked payload signing ({@code chunkedEncodingEnabled(false)}: Swift's s3api answers
 *       501 "aws-chunked is not supported");</li>
 *   <li>flexible checksums only when an operation requires them ({@code WHEN_REQUIRED} both ways:
 *       SDK 2.30+ sends CRC32 by default, which older MinIO, Ceph RGW and others reject);</li>
 *   <li>{@link LegacyMd5Plugin}, so DeleteObjects carries {@code Content-MD5} (MinIO, Swift s3api
 *       require it; aws-sdk-java-v2#5805);</li>
 *   <li>bodies covered by {@code Content-MD5} (every upload, see {@link ContentMd5}) signed with
 *       {@code UNSIGNED-PAYLOAD} ({@link Md5PayloadAuthScheme}), over http too;</li>
 *   <li>with an endpoint, a fixed path-style endpoint and SigV4 option per request ({@link PathStyleEndpoint},
 *       {@link SigV4Only}) instead of the SDK's endpoint rules, evaluated twice per request otherwise;</li>
 *   <li>the Apache HTTP client with a pool sized from the work it serves ({@link S3ClientSettings#maxConnections()}:
 *       every part of every upload of every job sharing it, plus the listings), and bounded timeouts;</li>
 *   <li>no {@code Expect: 100-continue} round trip for small bodies ({@link NoExpectContinueForSmallBodies});</li>
 *   <li>the standard retry strategy: 3 attempts, exponential backoff with jitter. These are the only retries of a
 *       request: the upload route never sends a failed file again, and its circuit breaker stops sending while the
 *       target keeps failing ({@code org.autosync.job.TargetBreaker}).</li>
 * </ul>
 * The caller owns the returned client and closes it.
 */
public final class S3ClientFactory {

    /** Used when an endpoint is given and the default region chain finds nothing. */
    public static final String FALLBACK_REGION = "us-east-1";

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
    static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(60);
    static final int MAX_ATTEMPTS = 3;

    private S3ClientFactory() {
    }

    public static S3Client create(S3ClientSettings settings) {
        Objects.requireNonNull(settings, "settings");
        S3ClientBuilder builder = S3Client.builder()
                .region(resolveRegion(settings))
                .credentialsProvider(credentials(settings))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(settings.endpoint() != null)
                        .chunkedEncodingEnabled(false)
                        .build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .addPlugin(LegacyMd5Plugin.create())
                .putAuthScheme(new Md5PayloadAuthScheme())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(settings.maxConnections())
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .connectionAcquisitionTimeout(ACQUIRE_TIMEOUT)
                        .tcpKeepAlive(true)
                        .expectContinueEnabled(false))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(MAX_ATTEMPTS)
                                .backoffStrategy(BackoffStrategy.exponentialDelay(
                                        Duration.ofMillis(200), Duration.ofSeconds(10)))
                                .build())
                        .addExecutionInterceptor(new NoExpectContinueForSmallBodies())
                        .build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint())
                    .endpointProvider(new PathStyleEndpoint())
                    .authSchemeProvider(new SigV4Only());
        }
        return builder.build();
    }

    /**
     * The region: the explicit one, else the SDK's default chain ({@code AWS_REGION}, {@code aws.region},
     * profile, and instance metadata only without an endpoint), else {@value #FALLBACK_REGION} when an endpoint is given (most
     * S3-compatible servers accept any region). Without an endpoint and without a region this fails
     * with the SDK's message.
     */
    static Region resolveRegion(S3ClientSettings settings) {
        if (settings.region() != null) {
            return Region.of(settings.region());
        }
        // With an endpoint the instance-metadata lookup is pointless (and slow off EC2): environment,
        // system properties and the profile only.
        AwsRegionProvider chain = settings.endpoint() != null
                ? new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
                : new DefaultAwsRegionProviderChain();
        try {
            return chain.getRegion();
        } catch (SdkClientException e) {
            if (settings.endpoint() != null) {
                return Region.of(FALLBACK_REGION);
            }
            throw e;
        }
    }

    private static AwsCredentialsProvider credentials(S3ClientSettings settings) {
        return settings.credentials() != null
                ? settings.credentials()
                : DefaultCredentialsProvider.builder().build();
    }
}
