package org.autosync.targets.s3;

import java.util.List;

import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeParams;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * The auth scheme of every request to a given S3-compatible server: SigV4 for service {@code s3} in the client's
 * region, with S3's signing rules (no double URL encoding, no path normalization) and without aws-chunked
 * encoding. The SDK's default provider resolves the endpoint through its rules engine for every request to learn
 * the same thing (S3 Express and multi-region access points exist on AWS only).
 */
final class SigV4Only implements S3AuthSchemeProvider {

    @Override
    public List<AuthSchemeOption> resolveAuthScheme(S3AuthSchemeParams params) {
        return List.of(AuthSchemeOption.builder().schemeId(AwsV4AuthScheme.SCHEME_ID)
                .putSignerProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putSignerProperty(AwsV4HttpSigner.REGION_NAME, params.region().id())
                .putSignerProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putSignerProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putSignerProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, false)
                .build());
    }
}
