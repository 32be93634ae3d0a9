package org.autosync.targets.swift;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** Raw Swift API calls for assertions, independent of {@link SwiftActor}'s code paths except URL encoding. */
public final class SwiftTestClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SwiftTestClient() {
    }

    public static SwiftSettings settings(String container) {
        SwiftCluster.Endpoints e = SwiftCluster.endpoints();
        return SwiftSettings.of(e.authUrl(), e.get("SWIFT_USER"), e.get("SWIFT_KEY"), container);
    }

    /** The Keystone test user's settings ({@link SwiftCluster#keystoneEndpoints()}). */
    public static SwiftSettings keystoneSettings(String container) {
        SwiftCluster.Endpoints e = SwiftCluster.keystoneEndpoints();
        return SwiftSettings.keystone(e.keystoneUrl(), e.get("KEYSTONE_USER"), e.get("KEYSTONE_PASSWORD"),
                e.get("KEYSTONE_PROJECT"), e.get("KEYSTONE_DOMAIN"), container);
    }

    /** Keystone login by hand; the storage URL is the one swift-aio.sh registered, not read from the catalog. */
    private static String[] keystoneLogin() throws IOException, InterruptedException {
        SwiftCluster.Endpoints e = SwiftCluster.keystoneEndpoints();
        String body = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\""
                + e.get("KEYSTONE_USER") + "\",\"domain\":{\"name\":\"Default\"},\"password\":\"" + e.get("KEYSTONE_PASSWORD")
                + "\"}}},\"scope\":{\"project\":{\"name\":\"" + e.get("KEYSTONE_PROJECT")
                + "\",\"domain\":{\"name\":\"Default\"}}}}}";
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(e.get("KEYSTONE_URL") + "/auth/tokens"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
        return new String[] {r.headers().firstValue("X-Subject-Token").orElseThrow(), e.get("KEYSTONE_STORAGE_URL")};
    }

    private static String[] login(boolean keystone) throws IOException, InterruptedException {
        if (keystone) {
            return keystoneLogin();
        }
        SwiftCluster.Endpoints e = SwiftCluster.endpoints();
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(e.authUrl()).header("X-Auth-User", e.get("SWIFT_USER"))
                .header("X-Auth-Key", e.get("SWIFT_KEY")).build(), HttpResponse.BodyHandlers.discarding());
        return new String[] {r.headers().firstValue("X-Auth-Token").orElseThrow(),
                r.headers().firstValue("X-Storage-Url").orElseThrow()};
    }

    /**
     * Makes the cluster reject {@code token} from now on, as when it expires early: Keystone revokes it, and
     * memcached, where tempauth keeps its tokens and the Keystone proxy its validations, is flushed.
     */
    public static void revoke(boolean keystone, String token) throws IOException, InterruptedException {
        if (keystone) {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(
                            URI.create(SwiftCluster.keystoneEndpoints().get("KEYSTONE_URL") + "/auth/tokens"))
                    .header("X-Auth-Token", token).header("X-Subject-Token", token).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 204) {
                throw new IOException("Keystone did not revoke the token: HTTP " + r.statusCode());
            }
        }
        String conf = Files.readString(SwiftCluster.dir().resolve("etc/proxy-server.conf"));
        Matcher memcached = Pattern.compile("(?m)^memcache_servers = 127\\.0\\.0\\.1:(\\d+)").matcher(conf);
        if (!memcached.find()) {
            throw new IOException("no memcache_servers in the proxy configuration");
        }
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(memcached.group(1)))) {
            socket.getOutputStream().write("flush_all\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            if (!"OK".equals(answer)) {
                throw new IOException("memcached answered " + answer + " to flush_all");
            }
        }
    }

    public static HttpResponse<byte[]> request(String method, String container, String key, String query)
            throws IOException, InterruptedException {
        return request(false, method, container, key, query);
    }

    public static HttpResponse<byte[]> request(boolean keystone, String method, String container, String key,
                                               String query) throws IOException, InterruptedException {
        return request(keystone, method, container, key, query, Map.of(), new byte[0]);
    }

    /** A request with headers and a body (empty for none). */
    public static HttpResponse<byte[]> request(boolean keystone, String method, String container, String key,
                                               String query, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        String[] session = login(keystone);
        URI uri = URI.create(session[1] + SwiftClient.encodePath(container, key) + (query == null ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("X-Auth-Token", session[0]);
        headers.forEach(request::header);
        return HTTP.send(request.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public static byte[] get(String container, String key) throws IOException, InterruptedException {
        return get(false, container, key);
    }

    /** Through the Keystone-fronted proxy, into the Keystone project's account. */
    public static byte[] keystoneGet(String container, String key) throws IOException, InterruptedException {
        return get(true, container, key);
    }

    private static byte[] get(boolean keystone, String container, String key) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = request(keystone, "GET", container, key, null);
        if (r.statusCode() != 200) {
            throw new IOException("GET " + container + "/" + key + " -> " + r.statusCode());
        }
        return r.body();
    }

    /** All object names of a container (empty if it does not exist). */
    public static List<String> names(String container) throws IOException, InterruptedException {
        return names(false, container);
    }

    public static List<String> keystoneNames(String container) throws IOException, InterruptedException {
        return names(true, container);
    }

    private static List<String> names(boolean keystone, String container) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        HttpResponse<byte[]> r = request(keystone, "GET", container, null, "format=json&limit=10000");
        if (r.statusCode() == 404) {
            return names;
        }
        for (JsonNode n : SwiftClient.JSON.readTree(r.body())) {
            names.add(n.get("name").asText());
        }
        return names;
    }
}
