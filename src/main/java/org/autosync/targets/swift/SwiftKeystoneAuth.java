package org.autosync.targets.swift;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Keystone v3 password authentication: {@code POST {authUrl}/auth/tokens} with the user name, password and domain,
 * scoped to a project of the same domain. The token is the {@code X-Subject-Token} header, its expiry
 * {@code token.expires_at}, and the storage URL the catalog's {@code object-store} endpoint with
 * {@code interface: public}.
 */
final class SwiftKeystoneAuth extends SwiftAuth {

    SwiftKeystoneAuth(HttpClient http, SwiftSettings settings) {
        super(http, settings);
    }

    URI tokensUrl() {
        String base = settings.authUrl().toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "auth/tokens");
    }

    String requestBody() {
        ObjectNode root = SwiftClient.JSON.createObjectNode();
        ObjectNode auth = root.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", settings.user());
        user.putObject("domain").put("name", settings.domain());
        user.put("password", settings.key());
        ObjectNode project = auth.putObject("scope").putObject("project");
        project.put("name", settings.project());
        project.putObject("domain").put("name", settings.domain());
        return root.toString();
    }

    @Override
    protected Session login() throws IOException {
        URI url = tokensUrl();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(settings.timeout())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody())).build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        String who = "user '" + settings.user() + "' (domain '" + settings.domain() + "', project '"
                + settings.project() + "')";
        if (status == 401 || status == 403) {
            throw new SwiftAuthException(status, "Keystone rejected the credentials of " + who + " at " + url + " ("
                    + status + "): check the password, the user, the project and the domain (case-sensitive)");
        }
        if (status / 100 != 2) {
            String body = response.body() == null ? null : response.body().replace(settings.key(), "***");
            throw new SwiftException(status, "POST " + url, body);
        }
        String token = response.headers().firstValue("X-Subject-Token").orElse(null);
        if (token == null) {
            throw new IOException("the response of " + url + " has no X-Subject-Token: is this a Keystone v3 URL?");
        }
        JsonNode tokenNode = SwiftClient.JSON.readTree(response.body()).path("token");
        String storage = null;
        for (JsonNode service : tokenNode.path("catalog")) {
            if (!"object-store".equals(service.path("type").asText())) {
                continue;
            }
            for (JsonNode endpoint : service.path("endpoints")) {
                if ("public".equals(endpoint.path("interface").asText()) && endpoint.hasNonNull("url")) {
                    storage = endpoint.get("url").asText();
                    break;
                }
            }
        }
        if (storage == null) {
            throw new SwiftAuthException(status, "Keystone at " + settings.authUrl() + " has no public object-store "
                    + "endpoint in the catalog of " + who + ": is Swift registered, and does the project have a role on it?");
        }
        return new Session(token, trimSlash(storage), expires(tokenNode.path("expires_at").asText(null)));
    }

    private static Instant expires(String expiresAt) {
        if (expiresAt == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(expiresAt).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(expiresAt);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
