package org.autosync.target.swift;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Swift v1 authentication (tempauth, swauth): {@code GET authUrl} with {@code X-Auth-User} and
 * {@code X-Auth-Key} returns {@code X-Auth-Token} and {@code X-Storage-Url}. The token is cached and
 * shared by all threads. {@link #refresh(Session)} replaces it only when the caller saw the current one
 * rejected, so a burst of 401s from parallel requests costs one login.
 *
 * <p>When the server says when the token expires ({@code X-Auth-Token-Expires}, seconds), it is renewed
 * a few seconds before; a 401 is still handled by the caller ({@link SwiftClient}) with one refresh and
 * one retry.
 */
final class SwiftAuth {

    /** A token and the account URL it is valid for. */
    record Session(String token, URI storageUrl, Instant expires) {
        @Override
        public String toString() {
            return "Session[storageUrl=" + storageUrl + ", expires=" + expires + "]";
        }
    }

    private static final Duration RENEW_BEFORE = Duration.ofSeconds(5);

    private final HttpClient http;
    private final SwiftSettings settings;
    private Session current;
    private int logins;

    SwiftAuth(HttpClient http, SwiftSettings settings) {
        this.http = http;
        this.settings = settings;
    }

    /** The cached session, logging in first if there is none or it is about to expire. */
    synchronized Session session() throws IOException {
        if (current == null || current.expires() != null && Instant.now().isAfter(current.expires().minus(RENEW_BEFORE))) {
            current = login();
        }
        return current;
    }

    /** Logs in again unless another thread already replaced {@code rejected}. */
    synchronized Session refresh(Session rejected) throws IOException {
        if (current == null || current.equals(rejected)) {
            current = login();
        }
        return current;
    }

    /** Number of logins so far (for tests and logs). */
    synchronized int logins() {
        return logins;
    }

    /** Test hook: replace the token with one the server does not know. */
    synchronized void forgetTokenForTest() throws IOException {
        Session s = session();
        current = new Session("AUTH_tk_invalidated_by_test", s.storageUrl(), s.expires());
    }

    private Session login() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(settings.authUrl()).timeout(settings.timeout())
                .header("X-Auth-User", settings.user()).header("X-Auth-Key", settings.key()).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while authenticating");
        }
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
        logins++;
        return new Session(token, URI.create(storage.endsWith("/") ? storage.substring(0, storage.length() - 1) : storage),
                expires);
    }
}
