package org.autosync.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * An S3 server in this JVM: S3Proxy 4.1 on 127.0.0.1 with its filesystem blob store (or, with
 * {@link Builder#inMemory(boolean)}, its transient one) and AWS signature authentication (V2 or V4) switched on.
 *
 * <p>It counts the requests it serves by type, at the server side: see {@link #requestCounts()}.
 * Keys are listed in Java {@code String} order by this store, not S3's UTF-8 byte order (they differ
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

    /** Stable names of {@link #requestCounts()}. */
    public static final String LIST = "LIST";
    public static final String PUT = "PUT";
    public static final String HEAD = "HEAD";
    public static final String GET = "GET";
    public static final String DELETE = "DELETE";
    /** Every multipart request: create, part, complete and abort (also counted one by one below). */
    public static final String MULTIPART = "MULTIPART";
    public static final String MULTIPART_CREATE = "MULTIPART_CREATE";
    public static final String MULTIPART_PART = "MULTIPART_PART";
    public static final String MULTIPART_COMPLETE = "MULTIPART_COMPLETE";
    public static final String MULTIPART_ABORT = "MULTIPART_ABORT";
    public static final String CREATE_BUCKET = "CREATE_BUCKET";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private volatile S3Proxy proxy;
    private final CountingBlobStore blobStore;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3(Builder b) {
        this.accessKey = b.accessKey;
        this.secretKey = b.secretKey != null ? b.secretKey : generateSecret();
        this.blobStore = new CountingBlobStore(b.inMemory ? new TransientNio2BlobStore() : filesystemStore(b.storage));
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

    /**
     * Makes every multipart part upload take at least this long at the server (zero, the default, for
     * none): a slow link, so that tests can interrupt a large upload while its parts are in flight.
     */
    public void partDelay(Duration delay) {
        blobStore.partDelay(delay);
    }

    /**
     * Calls {@code listener} with (bucket, key) each time an object is stored, after its PutObject or
     * CompleteMultipartUpload: the moment a client could first read it. Runs on the server's request thread.
     */
    public void onStored(BiConsumer<String, String> listener) {
        blobStore.onStored(Objects.requireNonNull(listener, "listener"));
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

    /**
     * Requests served since start or the last {@link #resetCounts()}, by type: {@link #LIST},
     * {@link #PUT}, {@link #HEAD}, {@link #GET}, {@link #DELETE} (one per DeleteObject or
     * DeleteObjects request), {@link #MULTIPART} (and its parts {@link #MULTIPART_CREATE},
     * {@link #MULTIPART_PART}, {@link #MULTIPART_COMPLETE}, {@link #MULTIPART_ABORT}) and
     * {@link #CREATE_BUCKET}. Every name is present, zero included. Requests refused before reaching
     * the store (bad signature, malformed) are not counted. HeadBucket is not counted.
     */
    public Map<String, Long> requestCounts() {
        return blobStore.snapshot();
    }

    /** The most multipart part uploads the server was receiving at one time since the last reset. */
    public long maxConcurrentParts() {
        return blobStore.maxConcurrentParts();
    }

    public void resetCounts() {
        blobStore.reset();
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
