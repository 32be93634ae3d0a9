package org.autosync.targets.s3;

import java.util.concurrent.CompletableFuture;

import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 as the SDK does it, except that a request whose body the {@code Content-MD5} header covers (a PutObject or
 * UploadPart from {@link ContentMd5}, a DeleteObjects from the {@code LegacyMd5Plugin}) is signed with
 * {@code x-amz-content-sha256: UNSIGNED-PAYLOAD}, as rclone does: the server still checks the body against the
 * MD5, which is itself signed, and neither side hashes it a second time with SHA-256. The SDK's own switch
 * ({@code PAYLOAD_SIGNING_ENABLED=false}) is honoured over https only; over http it signs every body, so the body
 * is left out of what the signer sees and put back on the signed request. Every other request is signed unchanged.
 */
final class Md5PayloadAuthScheme implements AwsV4AuthScheme {

    private final AwsV4AuthScheme sdk = AwsV4AuthScheme.create();
    private final AwsV4HttpSigner signer = new Signer(sdk.signer());

    @Override
    public String schemeId() {
        return sdk.schemeId();
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return sdk.identityProvider(providers);
    }

    @Override
    public AwsV4HttpSigner signer() {
        return signer;
    }

    private static final class Signer implements AwsV4HttpSigner {
        private final AwsV4HttpSigner sdk;

        Signer(AwsV4HttpSigner sdk) {
            this.sdk = sdk;
        }

        @Override
        public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
            if (request.payload().isEmpty() || request.request().firstMatchingHeader("Content-MD5").isEmpty()) {
                return sdk.sign(request);
            }
            SignedRequest signed = sdk.sign(request.copy(r -> r.payload(null).putProperty(PAYLOAD_SIGNING_ENABLED, false)));
            return signed.copy(r -> r.payload(request.payload().get()));
        }

        @Override
        public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
            return sdk.signAsync(request);
        }
    }
}
