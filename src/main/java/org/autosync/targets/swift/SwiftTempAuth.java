package org.autosync.targets.swift;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/**
 * Swift v1 authentication (tempauth, swauth): {@code GET authUrl} with {@code X-Auth-User} and
 * {@code X-Auth-Key} returns {@code X-Auth-Token} and {@code X-Storage-Url}; {@code X-Auth-Token-Expires}
 * (seconds), when present, says when the token expires.
 */
final class SwiftTempAuth extends SwiftAuth {

    SwiftTempAuth(HttpClient http, SwiftSettings settings) {
        super(http, settings);
    }

    @Override
    protected Session login() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(settings.authUrl()).timeout(settings.timeout())
                .header("X-Auth-User", settings.user()).header("X-Auth-Key", settings.key()).GET().build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new SwiftAuthException(status, "Swift rejected the credentials of user '" + settings.user()
                    + "' at " + settings.authUrl() + " (" + status + ")");
        }
        if (status / 100 != 2) {
            throw new SwiftException(status, "GET " + settings.authUrl(), response.body());
        }
        String token = response.headers().firstValue("X-Auth-Token")
                .or(() -> response.headers().firstValue("X-Storage-Token")).orElse(null);
        String storage = response.headers().firstValue("X-Storage-Url").orElse(null);
        if (token == null || storage == null) {
            throw new IOException("the auth response of " + settings.authUrl()
                    + " has no X-Auth-Token or X-Storage-Url: is this a Swift v1 auth URL?");
        }
        Instant expires = response.headers().firstValue("X-Auth-Token-Expires").map(s -> {
            try {
                return Instant.now().plusSeconds(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
        return new Session(token, trimSlash(storage), expires);
    }
}
