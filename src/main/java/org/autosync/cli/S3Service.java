package org.autosync.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.autosync.errors.Causes;
import org.autosync.embedded.EmbeddedS3;
import org.autosync.targets.open.TargetFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * How {@code s3://} targets without an endpoint of their own are reached, for the whole run: {@code --endpoint} and
 * {@code --region}, or the S3 server {@code --embedded-s3} starts in-process (stopped by {@link #close()}). Jobs see
 * it as the bean {@value org.autosync.routes.JobTemplate#S3_DEFAULTS}.
 * <p>
 * The embedded server's port and credentials are chosen when the options are read ({@link #of}), so the jobs can be
 * made and checked with them; the server itself starts ({@link #start}) only once every job was, so a mistake in
 * the options or a job is reported before any server runs or any credential is printed.
 */
final class S3Service implements AutoCloseable {

    /** The bucket of the command line's job when {@code --embedded-s3} is given without {@code --target_container}. */
    static final String EMBEDDED_BUCKET = "autosync";

    private final Path store;
    private final int port;
    private final String secretKey;
    private final TargetFactory.S3Defaults defaults;
    private EmbeddedS3 embedded;

    private S3Service(Path store, int port, String secretKey, TargetFactory.S3Defaults defaults) {
        this.store = store;
        this.port = port;
        this.secretKey = secretKey;
        this.defaults = defaults;
    }

    /** The S3 service the options describe; the embedded server's port and credentials chosen, not started. */
    static S3Service of(AutosyncCommand options) {
        if (options.embeddedS3 == null) {
            try {
                return new S3Service(null, 0, null, new TargetFactory.S3Defaults(
                        options.endpoint == null ? null : URI.create(options.endpoint), options.region, null, null));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("invalid --endpoint: " + e.getMessage());
            }
        }
        Path store = options.embeddedS3.toAbsolutePath().normalize();
        int port = freePort();
        String secret = secret();
        // the port changes from run to run: the sync state is named after the store instead
        return new S3Service(store, port, secret, new TargetFactory.S3Defaults(
                URI.create("http://127.0.0.1:" + port), EmbeddedS3.REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(EmbeddedS3.DEFAULT_ACCESS_KEY, secret)),
                "embedded:" + store));
    }

    /** Starts the embedded server, if there is one, printing its endpoint and credentials on {@code out}. */
    synchronized void start(PrintStream out) {
        if (store == null || embedded != null) {
            return;
        }
        try {
            embedded = EmbeddedS3.builder(store).port(port).secretKey(secretKey).build();
        } catch (RuntimeException e) {
            throw new ConfigurationException("cannot start the embedded S3 server on 127.0.0.1:" + port + " storing under "
                    + store + ": " + Causes.rootMessage(e));
        }
        out.println("autosync: embedded S3 server at " + embedded.endpoint() + " storing under " + store);
        out.println("autosync:   AWS_ACCESS_KEY_ID=" + embedded.accessKey() + " AWS_SECRET_ACCESS_KEY="
                + embedded.secretKey() + " region " + embedded.region() + " (path-style)");
    }

    TargetFactory.S3Defaults defaults() {
        return defaults;
    }

    boolean embedded() {
        return store != null;
    }

    @Override
    public synchronized void close() {
        if (embedded != null) {
            embedded.close();
        }
    }

    /** A port on 127.0.0.1 free now; the server binds it a moment later, once the jobs are made. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new ConfigurationException("cannot find a free port on 127.0.0.1 for the embedded S3 server: "
                    + e.getMessage());
        }
    }

    /** A random secret, as the embedded server would generate for itself. */
    private static String secret() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
