package org.autosync.targets.contract;

import java.net.URI;

import org.autosync.targets.s3.S3ClientFactory;
import org.autosync.targets.s3.S3ClientSettings;
import org.autosync.targets.swift.SwiftCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/** S3Actor through the s3api middleware of the real Swift (access key test:tester, path-style). */
@ExtendWith(SwiftCluster.class)
class SwiftS3ApiContractTest extends S3ActorContract {

    static S3Client client;

    @AfterAll
    static void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    protected String serverName() {
        return "s3 (Swift s3api)";
    }

    @Override
    protected void assumeServer() {
        SwiftCluster.Endpoints e = SwiftCluster.endpoints();
        if (client == null) {
            client = S3ClientFactory.create(new S3ClientSettings(URI.create(e.get("S3_ENDPOINT")), e.get("S3_REGION"),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(e.get("S3_ACCESS_KEY"),
                            e.get("S3_SECRET_KEY"))), 8));
        }
    }

    @Override
    protected S3Client client() {
        return client;
    }
}
