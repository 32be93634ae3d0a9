package org.autosync.targets.contract;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import org.autosync.targets.s3.S3ClientFactory;
import org.autosync.targets.s3.S3ClientSettings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Actor on LocalStack in a container (Testcontainers). Skipped, never failed, when no Docker engine is
 * reachable; started once for the class otherwise.
 */
class LocalStackContractTest extends S3ActorContract {

    private static Boolean docker;
    private static LocalStackContainer localstack;
    private static S3Client client;

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (localstack != null) {
            localstack.stop();
        }
    }

    @Override
    protected String serverName() {
        return "s3 (LocalStack, Testcontainers)";
    }

    @Override
    protected void assumeServer() {
        if (docker == null) {
            boolean available;
            try {
                available = DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable e) {
                available = false;
            }
            docker = available;
        }
        Assumptions.assumeTrue(docker, "no Docker engine reachable: LocalStack cannot start");
        if (localstack == null) {
            localstack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
                    .withServices(LocalStackContainer.Service.S3);
            localstack.start();
            client = S3ClientFactory.create(new S3ClientSettings(localstack.getEndpoint(), localstack.getRegion(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(localstack.getAccessKey(),
                            localstack.getSecretKey())), 8));
        }
    }

    @Override
    protected S3Client client() {
        return client;
    }
}
