package org.autosync.targets.swift;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The HTTP side of the Swift API on {@link HttpClient} (HTTP/1.1; Swift's eventlet server speaks no h2c):
 * requests relative to the account's storage URL, with the token from {@link SwiftAuth}. A 401 is answered
 * with one fresh login and one retry of the same request; a second 401 is a {@link SwiftAuthException}.
 * Every request goes through {@link SwiftHttp}: an idle timeout ({@link SwiftSettings#timeout()}) on requests with
 * and without a body, and retries with backoff for 5xx, 429, 498 and I/O errors, the S3 side's policy.
 * Request bodies are {@link Body} factories so that a retry re-reads the file instead of buffering it.
 * No {@code Expect: 100-continue}: JDK 17's HttpClient waited forever when Swift answered such a PUT with 404.
 * Tokens are renewed shortly before they expire ({@link SwiftAuth}), so a 401 after a streamed body is rare.
 *
 * <p>Thread-safe.
 */
final class SwiftClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Creates a fresh body for each attempt. */
    @FunctionalInterface
    interface Body {
        HttpRequest.BodyPublisher open() throws IOException;
    }

    /** What the cluster's {@code GET /info} says (Swift's capabilities), with defaults for older clusters. */
    record Capabilities(long maxFileSize, boolean bulkDelete, int maxDeletesPerRequest, boolean slo,
                        int maxManifestSegments) {
        static Capabilities parse(JsonNode info) {
            JsonNode swift = info.path("swift");
            JsonNode bulk = info.path("bulk_delete");
            JsonNode slo = info.path("slo");
            return new Capabilities(swift.path("max_file_size").asLong(5L * 1024 * 1024 * 1024),
                    !bulk.isMissingNode(), Math.max(1, bulk.path("max_deletes_per_request").asInt(10_000)),
                    !slo.isMissingNode(), Math.max(1, slo.path("max_manifest_segments").asInt(1000)));
        }
    }

    /** The S3 side's connect timeout ({@code S3ClientFactory.CONNECT_TIMEOUT}), or the idle timeout if shorter. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final SwiftHttp exchanges;
    private final SwiftSettings settings;
    private final SwiftAuth auth;
    private volatile Capabilities capabilities;

    SwiftClient(SwiftSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout().compareTo(CONNECT_TIMEOUT) < 0 ? settings.timeout() : CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.exchanges = new SwiftHttp(http, settings.timeout());
        this.auth = SwiftAuth.of(http, settings);
    }

    SwiftAuth auth() {
        return auth;
    }

    /**
     * Sends {@code method} to {@code storageUrl + path [+ "?" + query]} with the token, retried as
     * {@link SwiftHttp} says; on 401 logs in again and tries once more.
     *
     * @param path    already encoded ({@link #encodePath}), starting with {@code /}, or empty for the account
     * @param query   already encoded ({@link #query}), or null
     * @param body    null for no body
     */
    <T> HttpResponse<T> send(String method, String path, String query, Map<String, String> headers, Body body,
                             HttpResponse.BodyHandler<T> handler) throws IOException {
        SwiftAuth.Session session = auth.session();
        HttpResponse<T> response = sendOnce(session, method, path, query, headers, body, handler);
        if (response.statusCode() != 401) {
            return response;
        }
        session = auth.refresh(session);
        response = sendOnce(session, method, path, query, headers, body, handler);
        if (response.statusCode() == 401) {
            throw new SwiftAuthException(401, "Swift rejected a fresh token of user '" + settings.user() + "' for "
                    + method + " " + session.storageUrl() + path + " (401): the account or the user's rights are wrong");
        }
        return response;
    }

    private <T> HttpResponse<T> sendOnce(SwiftAuth.Session session, String method, String path, String query,
                                         Map<String, String> headers, Body body, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        URI uri = URI.create(session.storageUrl() + path + (query == null || query.isEmpty() ? "" : "?" + query));
        return exchanges.send(() -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("X-Auth-Token", session.token());
            headers.forEach(request::header);
            return request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body.open()).build();
        }, handler);
    }

    /** {@code PUT /container} (201 created, 202 already there). */
    void createContainer(String container) throws IOException {
        HttpResponse<String> r = send("PUT", encodePath(container, null), null, Map.of(), null,
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new SwiftException(r.statusCode(), "PUT container " + container, r.body());
        }
    }

    /** {@code GET /info} of the proxy (no token needed), read once. */
    Capabilities capabilities() throws IOException {
        Capabilities c = capabilities;
        if (c == null) {
            URI storage = auth.session().storageUrl();
            String s = storage.toString();
            int v1 = s.indexOf("/v1/");
            URI info = URI.create((v1 >= 0 ? s.substring(0, v1) : storage.resolve("/").toString().replaceAll("/$", ""))
                    + "/info");
            HttpResponse<String> response = exchanges.send(() -> HttpRequest.newBuilder(info).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            c = response.statusCode() == 200 ? Capabilities.parse(JSON.readTree(response.body()))
                    : Capabilities.parse(JSON.createObjectNode());
            capabilities = c;
        }
        return c;
    }

    // ---------------------------------------------------------------- encoding

    /** {@code /container/name} with every byte of the UTF-8 names percent-encoded except unreserved ones and {@code /} in the name. */
    static String encodePath(String container, String name) {
        return "/" + encode(container, false) + (name == null ? "" : "/" + encode(name, true));
    }

    /** {@code k1=v1&k2=v2}, values percent-encoded (null values left out). */
    static String query(String... keyValues) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(keyValues[i]).append('=').append(encode(keyValues[i + 1], false));
        }
        return sb.toString();
    }

    static String encode(String s, boolean keepSlash) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || keepSlash && c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- bodies

    /** {@code length} bytes of {@code file} from {@code offset}, streamed (never held in memory). */
    static Body fileRange(Path file, long offset, long length) {
        if (length == 0) {
            return () -> HttpRequest.BodyPublishers.ofByteArray(new byte[0]);
        }
        return () -> HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> openRange(file, offset, length)), length);
    }

    static InputStream openRange(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            return new java.io.FilterInputStream(in) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buf, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
