package org.autosync.targets.swift;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.autosync.targets.Actor.DeleteFailure;

/**
 * Deletes objects from a container: bulk delete ({@code POST ?bulk-delete}, up to the cluster's
 * {@code max_deletes_per_request}) when {@code /info} offers it, else one DELETE per name. A missing name is not an
 * error; per-name errors come back as {@link DeleteFailure}s, and a failed request as a failure of each of its names.
 */
final class SwiftDeletes {

    private final SwiftClient client;
    private final SwiftFailures swiftFailures;

    SwiftDeletes(SwiftClient client, SwiftFailures swiftFailures) {
        this.client = client;
        this.swiftFailures = swiftFailures;
    }

    /** Deletes {@code names} from {@code container}; what could not be deleted comes back, a missing name is no failure. */
    List<DeleteFailure> delete(String container, List<String> names) {
        List<DeleteFailure> failures = new ArrayList<>();
        SwiftClient.Capabilities caps;
        try {
            caps = client.capabilities();
        } catch (IOException e) {
            names.forEach(k -> failures.add(new DeleteFailure(k, swiftFailures.explain(e))));
            return failures;
        }
        if (caps.bulkDelete()) {
            int batch = Math.min(caps.maxDeletesPerRequest(), 10_000);
            for (int i = 0; i < names.size(); i += batch) {
                failures.addAll(bulkDelete(container, names.subList(i, Math.min(names.size(), i + batch))));
            }
        } else {
            for (String name : names) {
                try {
                    HttpResponse<String> r = client.send("DELETE", SwiftClient.encodePath(container, name), null,
                            Map.of(), null, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() / 100 != 2 && r.statusCode() != 404) {
                        failures.add(new DeleteFailure(name, new SwiftException(r.statusCode(), "DELETE " + name,
                                r.body()).getMessage()));
                    }
                } catch (IOException e) {
                    failures.add(new DeleteFailure(name, swiftFailures.explain(e)));
                }
            }
        }
        return failures;
    }

    private List<DeleteFailure> bulkDelete(String container, List<String> names) {
        Map<String, String> byPath = new LinkedHashMap<>();
        StringBuilder body = new StringBuilder();
        for (String name : names) {
            String path = SwiftClient.encodePath(container, name);
            byPath.put(path, name);
            body.append(path).append('\n');
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        List<DeleteFailure> failures = new ArrayList<>();
        try {
            HttpResponse<String> r = client.send("POST", "", "bulk-delete",
                    Map.of("Content-Type", "text/plain", "Accept", "application/json"),
                    () -> HttpRequest.BodyPublishers.ofByteArray(bytes), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                String reason = new SwiftException(r.statusCode(), "bulk delete", r.body()).getMessage();
                names.forEach(k -> failures.add(new DeleteFailure(k, reason)));
                return failures;
            }
            JsonNode result = SwiftClient.JSON.readTree(r.body());
            Set<String> reported = new HashSet<>();
            for (JsonNode error : result.path("Errors")) {
                String path = error.path(0).asText();
                String key = byPath.getOrDefault(path, byPath.get(SwiftClient.encodePath(container,
                        URLDecoder.decode(path.substring(Math.min(path.length(), container.length() + 2))
                                .replace("+", "%2B"), StandardCharsets.UTF_8))));
                String k = key != null ? key : path;
                if (reported.add(k)) {
                    failures.add(new DeleteFailure(k, "Swift bulk delete: " + error.path(1).asText()));
                }
            }
            String status = result.path("Response Status").asText("");
            if (failures.isEmpty() && !status.isEmpty() && !status.startsWith("2")) {
                String reason = "Swift bulk delete answered " + status + ": " + result.path("Response Body").asText("");
                names.forEach(k -> failures.add(new DeleteFailure(k, reason)));
            }
        } catch (IOException e) {
            String reason = swiftFailures.explain(e);
            names.forEach(k -> failures.add(new DeleteFailure(k, reason)));
        }
        return failures;
    }
}
