package org.autosync.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.UnaryOperator;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * An S3 server in this JVM: S3Proxy 4.1 on 127.0.0.1 with its filesystem blob store (or, with
 * {@link Builder#inMemory(boolean)}, its transient one) and AWS signature authentication (V2 or V4) switched on.
 *
 * <p>{@link Builder#blobStore(UnaryOperator)} puts a store of the caller's in front of S3Proxy's, to observe or
 * shape what the server does (tests count the requests it serves that way). Keys are listed in Java {@code String} order by this store, not S3's UTF-8 byte order (they differ
 * only for code points above U+FFFF against U+E000..U+FFFF).
 *
 * <pre>{@code
 * try (EmbeddedS3 s3 = EmbeddedS3.builder(dir).build()) {
 *     URI endpoint = s3.endpoint(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class EmbeddedS3 implements AutoCloseable {

    public static final String DEFAULT_ACCESS_KEY = "autosync";
    public static final String REGION = "us-east-1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private volatile S3Proxy proxy;
    private final BlobStore blobStore;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3(Builder b) {
        this.accessKey = b.accessKey;
        this.secretKey = b.secretKey != null ? b.secretKey : generateSecret();
        this.blobStore = b.decorator.apply(b.inMemory ? new TransientNio2BlobStore() : filesystemStore(b.storage));
        this.proxy = startProxy(b.port);
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    private static BlobStore filesystemStore(Path storage) {
        try {
            Files.createDirectories(storage);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the embedded S3 storage " + storage, e);
        }
        return new FilesystemNio2BlobStore(storage.toAbsolutePath().toString());
    }

    private S3Proxy startProxy(int port) {
        S3Proxy server = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        try {
            server.start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!"STARTED".equals(server.getState())) {
                if (System.nanoTime() > deadline || "FAILED".equals(server.getState())) {
                    throw new IllegalStateException("embedded S3 did not start (state "
                            + server.getState() + ")");
                }
                Thread.sleep(10);
            }
            return server;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(server);
            throw new IllegalStateException("interrupted while starting the embedded S3", e);
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            throw new IllegalStateException("cannot start the embedded S3 on 127.0.0.1:" + port
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops serving (connections are refused) but keeps the storage, the credentials and the port, so
     * that {@link #restart()} brings the same server back: an endpoint outage, for fault tests.
     */
    public synchronized void stop() {
        stopQuietly(proxy);
    }

    /** Serves again on the same port and storage after {@link #stop()}. */
    public synchronized void restart() {
        stopQuietly(proxy);
        proxy = startProxy(endpoint.getPort());
    }

    /** Starts a server on an ephemeral port with the default access key and a generated secret. */
    public static EmbeddedS3 start(Path storage) {
        return builder(storage).build();
    }

    public static Builder builder(Path storage) {
        return new Builder(storage);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** The region clients should sign for: {@value #REGION}. */
    public String region() {
        return REGION;
    }

    @Override
    public synchronized void close() {
        stopQuietly(proxy);
    }

    @Override
    public String toString() {
        return "EmbeddedS3[" + endpoint + "]";
    }

    private static void stopQuietly(S3Proxy server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // nothing useful to do on shutdown
        }
    }

    private static String generateSecret() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static final class Builder {
        private final Path storage;
        private int port;
        private String accessKey = DEFAULT_ACCESS_KEY;
        private String secretKey;
        private boolean inMemory;
        private UnaryOperator<BlobStore> decorator = UnaryOperator.identity();

        private Builder(Path storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
        }

        /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder accessKey(String accessKey) {
            this.accessKey = requireText(accessKey, "accessKey");
            return this;
        }

        /** The secret; by default a random one is generated per server. */
        public Builder secretKey(String secretKey) {
            this.secretKey = requireText(secretKey, "secretKey");
            return this;
        }

        /**
         * Keeps objects in memory (S3Proxy's {@code transient} store) instead of files under the storage
         * directory, which is then not used. Its listings stay cheap as a bucket grows; objects go with the server.
         */
        public Builder inMemory(boolean inMemory) {
            this.inMemory = inMemory;
            return this;
        }

        /**
         * Serves from what {@code decorator} makes of the store (called once, at {@link #build()}), e.g. a store
         * that counts or delays requests. It should extend S3Proxy's {@code ForwardingBlobStore}: S3Proxy unwraps
         * that class to find the store's type, and so its quirks.
         */
        public Builder blobStore(UnaryOperator<BlobStore> decorator) {
            this.decorator = Objects.requireNonNull(decorator, "decorator");
            return this;
        }

        /** Starts the server and waits until it accepts requests. */
        public EmbeddedS3 build() {
            return new EmbeddedS3(this);
        }

        private static String requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }
    }
}
