package org.autosync.targets.open;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.routes.AutosyncJobs;
import org.autosync.routes.JobTemplate;
import org.autosync.routes.MirrorRouteTemplates;
import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A job made from the {@code autosync-job} template runs an {@code s3://} target on the integrator's own
 * {@code S3Client} from the Camel registry, and leaves that client open when it stops.
 */
class RegistryS3ClientTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;

    private final AtomicInteger requests = new AtomicInteger();
    private S3Client integratorClient;

    @BeforeEach
    void integratorClient() {
        integratorClient = S3Client.builder()
                .endpointOverride(s3.server.endpoint())
                .region(Region.of(s3.server.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.server.accessKey(), s3.server.secretKey())))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        requests.incrementAndGet();
                    }
                }))
                .build();
    }

    @AfterEach
    void closeClient() {
        integratorClient.close();
    }

    @Test
    void aJobWithAPlainS3TargetMirrorsThroughTheRegistryClientAndLeavesItOpen() throws Exception {
        String bucket = S3Fixture.uniqueBucket("registry-client");
        Path source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("a.txt"), "a");

        try (CamelContext context = context()) {
            context.getRegistry().bind("integratorS3", integratorClient);
            context.start();
            addJob(context, "s3://" + bucket);
            await().atMost(Duration.ofSeconds(30)).until(() -> !s3.contents(bucket).isEmpty());
            assertThat(AutosyncJobs.job(context, "registry").actor().describe()).startsWith("s3://" + bucket);
        }

        assertThat(s3.contents(bucket)).isEqualTo(Map.of("a.txt", "a"));
        assertThat(requests.get()).as("requests sent through the registry's client").isPositive();
        // the job is gone; the client is its owner's and still works
        int before = requests.get();
        assertThat(integratorClient.listObjectsV2(b -> b.bucket(bucket)).contents()).hasSize(1);
        assertThat(requests.get()).isEqualTo(before + 1);
    }

    @Test
    void withTwoS3ClientsInTheRegistryTheJobUsesTheRuntimeDefaults() throws Exception {
        String bucket = S3Fixture.uniqueBucket("two-clients");
        Path source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("b.txt"), "b");

        try (CamelContext context = context()) {
            context.getRegistry().bind("integratorS3", integratorClient);
            context.getRegistry().bind("otherS3", s3.client);
            context.getRegistry().bind(JobTemplate.S3_DEFAULTS, s3.defaults());
            context.start();
            addJob(context, "s3://" + bucket);
            await().atMost(Duration.ofSeconds(30)).until(() -> !s3.contents(bucket).isEmpty());
        }

        assertThat(s3.contents(bucket)).isEqualTo(Map.of("b.txt", "b"));
        assertThat(requests.get()).as("requests sent through the integrator's client").isZero();
    }

    private CamelContext context() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().addInitialProperty(JobTemplate.STATE_DIR, work.resolve("state").toString());
        AutosyncJobs.addTemplates(context);
        return context;
    }

    private void addJob(CamelContext context, String target) {
        TemplatedRouteBuilder.builder(context, MirrorRouteTemplates.JOB)
                .parameter("jobId", "registry")
                .parameter("source", work.resolve("src").toString())
                .parameter("target", target)
                .parameter("settleTime", "0")
                .add();
    }
}
