package org.autosync.cli;

import java.io.PrintStream;
import java.net.URI;

import org.autosync.embedded.EmbeddedS3;
import org.autosync.targets.open.TargetFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * How {@code s3://} targets without an endpoint of their own are reached, for the whole run: {@code --endpoint} and
 * {@code --region}, or the S3 server {@code --embedded-s3} starts in-process (stopped by {@link #close()}). Jobs see
 * it as the bean {@value org.autosync.routes.JobTemplate#S3_DEFAULTS}.
 */
final class S3Service implements AutoCloseable {

    /** The bucket of the command line's job when {@code --embedded-s3} is given without {@code --target_container}. */
    static final String EMBEDDED_BUCKET = "autosync";

    private final EmbeddedS3 embedded;
    private final TargetFactory.S3Defaults defaults;

    private S3Service(EmbeddedS3 embedded, TargetFactory.S3Defaults defaults) {
        this.embedded = embedded;
        this.defaults = defaults;
    }

    /** Starts the embedded server if asked to, printing its endpoint and credentials on {@code out}. */
    static S3Service start(AutosyncCommand options, PrintStream out) {
        if (options.embeddedS3 == null) {
            try {
                return new S3Service(null, new TargetFactory.S3Defaults(
                        options.endpoint == null ? null : URI.create(options.endpoint), options.region, null, null));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("invalid --endpoint: " + e.getMessage());
            }
        }
        String store = options.embeddedS3.toAbsolutePath().normalize().toString();
        EmbeddedS3 s3 = EmbeddedS3.start(options.embeddedS3);
        out.println("autosync: embedded S3 server at " + s3.endpoint() + " storing under " + store);
        out.println("autosync:   AWS_ACCESS_KEY_ID=" + s3.accessKey() + " AWS_SECRET_ACCESS_KEY=" + s3.secretKey()
                + " region " + s3.region() + " (path-style)");
        // the port changes from run to run: the sync state is named after the store instead
        return new S3Service(s3, new TargetFactory.S3Defaults(s3.endpoint(), s3.region(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())),
                "embedded:" + store));
    }

    TargetFactory.S3Defaults defaults() {
        return defaults;
    }

    boolean embedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
