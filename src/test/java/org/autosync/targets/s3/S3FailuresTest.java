package org.autosync.targets.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.AccessDeniedException;

import org.apache.camel.RuntimeCamelException;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Which failures of a real S3 server (and of none) are transient, as the upload route and the breaker see them. */
class S3FailuresTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @Test
    void should_call_an_endpoint_that_refuses_connections_transient() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (S3Client client = S3ClientFactory.create(new S3ClientSettings(URI.create("http://127.0.0.1:" + port),
                "us-east-1", StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")), 1))) {
            Throwable refused = catchThrowable(() -> client.headBucket(b -> b.bucket("any")));
            assertThat(S3Failures.isTransient(refused)).as(refused.toString()).isTrue();
            assertThat(S3Failures.isTransient(new RuntimeCamelException(refused))).isTrue();
        }
    }

    @Test
    void should_call_answers_that_need_a_change_permanent() {
        Throwable missingBucket = catchThrowable(() -> s3.client.putObject(b -> b.bucket("no-such-bucket-here").key("k"),
                RequestBody.fromString("x")));
        assertThat(S3Failures.isTransient(missingBucket)).as(missingBucket.toString()).isFalse();
        try (S3Client wrongSecret = S3ClientFactory.create(new S3ClientSettings(s3.server.endpoint(), s3.server.region(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.server.accessKey(), "wrong")), 1))) {
            Throwable denied = catchThrowable(() -> wrongSecret.listBuckets());
            assertThat(S3Failures.isTransient(denied)).as(denied.toString()).isFalse();
        }
        assertThat(S3Failures.isTransient(new AccessDeniedException("/src/locked.txt"))).isFalse();
        assertThat(S3Failures.isTransient(new IllegalStateException("a bug"))).isFalse();
    }
}
