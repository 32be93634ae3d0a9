package org.autosync.target.swift;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

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

    private static String[] login() throws IOException, InterruptedException {
        SwiftCluster.Endpoints e = SwiftCluster.endpoints();
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(e.authUrl()).header("X-Auth-User", e.get("SWIFT_USER"))
                .header("X-Auth-Key", e.get("SWIFT_KEY")).build(), HttpResponse.BodyHandlers.discarding());
        return new String[] {r.headers().firstValue("X-Auth-Token").orElseThrow(),
                r.headers().firstValue("X-Storage-Url").orElseThrow()};
    }

    public static HttpResponse<byte[]> request(String method, String container, String key, String query)
            throws IOException, InterruptedException {
        String[] session = login();
        URI uri = URI.create(session[1] + SwiftClient.encodePath(container, key) + (query == null ? "" : "?" + query));
        return HTTP.send(HttpRequest.newBuilder(uri).header("X-Auth-Token", session[0])
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public static byte[] get(String container, String key) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = request("GET", container, key, null);
        if (r.statusCode() != 200) {
            throw new IOException("GET " + container + "/" + key + " -> " + r.statusCode());
        }
        return r.body();
    }

    /** All object names of a container (empty if it does not exist). */
    public static List<String> names(String container) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        HttpResponse<byte[]> r = request("GET", container, null, "format=json&limit=10000");
        if (r.statusCode() == 404) {
            return names;
        }
        for (JsonNode n : SwiftClient.JSON.readTree(r.body())) {
            names.add(n.get("name").asText());
        }
        return names;
    }
}
