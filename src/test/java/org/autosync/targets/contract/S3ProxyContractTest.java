package org.autosync.targets.contract;

import java.nio.file.Path;

import org.autosync.embedded.EmbeddedS3;
import org.autosync.targets.s3.S3ClientFactory;
import org.autosync.targets.s3.S3ClientSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/** S3Actor on the in-process S3Proxy (filesystem store, authentication on). */
class S3ProxyContractTest extends S3ActorContract {

    @TempDir
    static Path storage;
    static EmbeddedS3 s3;
    static S3Client client;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start(storage);
        client = S3ClientFactory.create(new S3ClientSettings(s3.endpoint(), "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())), 8));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    protected String serverName() {
        return "s3 (S3Proxy, in-process)";
    }

    @Override
    protected void assumeServer() {
    }

    @Override
    protected S3Client client() {
        return client;
    }
}
