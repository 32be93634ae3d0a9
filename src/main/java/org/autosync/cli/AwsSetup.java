package org.autosync.cli;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.autosync.errors.Causes;
import org.autosync.targets.TargetUri;
import org.autosync.targets.open.TargetFactory;
import org.autosync.targets.s3.S3ClientSettings;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The AWS setup a user has to give and did not: no region, or no credentials. The one place that recognises what
 * the SDK throws for them (an {@link SdkClientException} "Unable to load region ..." or "Unable to load credentials
 * ...", a paragraph naming every provider of its chain) and says in one line what to set instead. The jobs of the
 * flags are checked before anything starts ({@link #check}); a job of the routes or the properties file meets the
 * same problem when it opens its target or at its first request, where {@link #explain} words it the same way.
 */
final class AwsSetup {

    static final String NO_REGION = "no AWS region: give --region=REGION or set AWS_REGION (or a region in "
            + "~/.aws/config), or --endpoint=URL for an S3-compatible server (or --embedded-s3 to try without a cloud "
            + "account)";
    static final String NO_CREDENTIALS = "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
            + "AWS_PROFILE with ~/.aws/credentials, or run with an instance or container role (the AWS SDK's default "
            + "chain; --embedded-s3 needs none)";

    private AwsSetup() {
    }

    /** {@link #NO_REGION} or {@link #NO_CREDENTIALS} when {@code failure} is the SDK saying so, else empty. */
    static Optional<String> explain(Throwable failure) {
        for (Throwable t : Causes.chain(failure)) {
            if (t instanceof SdkClientException && t.getMessage() != null) {
                if (t.getMessage().startsWith("Unable to load region")) {
                    return Optional.of(NO_REGION);
                }
                if (t.getMessage().startsWith("Unable to load credentials")) {
                    return Optional.of(NO_CREDENTIALS);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Checks that each {@code s3://} target of the flags that relies on the SDK's chains finds a region (unless it
     * has an endpoint, which falls back to us-east-1) and credentials, as its client will look for them.
     *
     * @throws ConfigurationException naming what to set
     */
    static void check(CommandLineJobs jobs, TargetFactory.S3Defaults defaults) {
        Set<String> targets = new LinkedHashSet<>();
        jobs.jobs().forEach(job -> {
            if (job.get("target") != null) {
                targets.add(job.get("target"));
            }
        });
        boolean region = false;
        boolean credentials = false;
        for (String target : targets) {
            TargetUri uri = TargetUri.parse(target);
            if (!uri.isS3()) {
                continue;
            }
            S3ClientSettings settings;
            try {
                settings = TargetFactory.s3ClientSettings(uri, defaults, System.getenv(), 1);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("--target " + uri.label() + ": " + e.getMessage());
            }
            region |= settings.region() == null && settings.endpoint() == null;
            credentials |= settings.credentials() == null;
        }
        if (region) {
            try {
                new DefaultAwsRegionProviderChain().getRegion();
            } catch (SdkClientException e) {
                throw new ConfigurationException(explain(e).orElse("cannot find the AWS region: " + Causes.rootMessage(e)));
            }
        }
        if (credentials) {
            try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
                chain.resolveCredentials();
            } catch (SdkClientException e) {
                throw new ConfigurationException(explain(e).orElse("cannot load AWS credentials: " + Causes.rootMessage(e)));
            }
        }
    }
}
