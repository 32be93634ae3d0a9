package org.autosync.karaf;

import java.net.URI;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.routes.AutosyncJobs;
import org.autosync.routes.JobTemplate;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.open.TargetFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Runs in a class loader that lacks one target's client library ({@link TargetClientsTest}), as the bundle does in
 * Karaf when only one of the features autosync-s3 and autosync-swift is installed. Only JDK types cross into it.
 */
public final class ClientsProbe {

    private ClientsProbe() {
    }

    /**
     * Makes a Swift job whose auth URL nobody answers, then lists its container: what that throws, as
     * "class: message" (the job and the Swift client exist and ran up to the network).
     */
    public static String swiftJobListing(String authUrl, String source, String stateDir) throws Exception {
        try (CamelContext context = context(stateDir)) {
            context.getRegistry().bind(JobTemplate.SWIFT_DEFAULTS,
                    new TargetFactory.SwiftLogin(authUrl, "test:tester", "testing", null, null));
            new JobConfigurations(context).update("org.autosync~swift", Map.of("source", source, "target", "swift://photos"));
            try (RemoteListing listing = AutosyncJobs.job(context, "swift").actor().list("")) {
                listing.hasNext();
                return "listed";
            } catch (Exception e) {
                return e.getClass().getName() + ": " + e.getMessage();
            }
        }
    }

    /** Makes an S3 job; what that throws, as its class name. */
    public static String s3JobFailure(String source, String stateDir) throws Exception {
        try (CamelContext context = context(stateDir)) {
            new JobConfigurations(context).update("org.autosync~s3", Map.of("source", source, "target", "s3://photos"));
            return "made";
        } catch (Throwable e) {
            return e.getClass().getName();
        }
    }

    /** Apart, as it names AWS SDK types: a class that does cannot even be loaded without the SDK. */
    public static final class S3 {

        private S3() {
        }

        /** A started context running one configuration's job that mirrors {@code source} into an S3 bucket. */
        public static AutoCloseable job(String endpoint, String region, String accessKey, String secretKey, String source,
                                        String bucket, String stateDir) throws Exception {
            CamelContext context = context(stateDir);
            context.getRegistry().bind(JobTemplate.S3_DEFAULTS, new TargetFactory.S3Defaults(URI.create(endpoint), region,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)), null));
            context.start();
            new JobConfigurations(context).update("org.autosync~s3", Map.of("source", source, "target", "s3://" + bucket,
                    "settleTime", "0"));
            return context;
        }
    }

    static CamelContext context(String stateDir) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().addInitialProperty(JobTemplate.STATE_DIR, stateDir);
        AutosyncJobs.addTemplates(context);
        return context;
    }
}
