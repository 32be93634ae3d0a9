package org.autosync.targets.swift;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * A Swift token and its storage URL, from one of two logins ({@link #of}): v1 ({@link SwiftTempAuth}: tempauth,
 * swauth) or Keystone v3 password authentication ({@link SwiftKeystoneAuth}). The token is cached and
 * shared by all threads. {@link #refresh(Session)} replaces it only when the caller saw the current one
 * rejected, so a burst of 401s from parallel requests costs one login.
 *
 * <p>When the server says when the token expires (v1: {@code X-Auth-Token-Expires}; Keystone: {@code expires_at}), it is renewed
 * a few seconds before; a 401 is still handled by the caller ({@link SwiftClient}) with one refresh and
 * one retry.
 */
abstract class SwiftAuth {

    /** A token and the account URL it is valid for. */
    record Session(String token, URI storageUrl, Instant expires) {
        @Override
        public String toString() {
            return "Session[storageUrl=" + storageUrl + ", expires=" + expires + "]";
        }
    }

    private static final Duration RENEW_BEFORE = Duration.ofSeconds(5);

    protected final HttpClient http;
    protected final SwiftSettings settings;
    private Session current;
    private int logins;

    SwiftAuth(HttpClient http, SwiftSettings settings) {
        this.http = http;
        this.settings = settings;
    }

    /** Keystone v3 when the auth URL ends in {@code /v3}, else v1. */
    static SwiftAuth of(HttpClient http, SwiftSettings settings) {
        return settings.keystone() ? new SwiftKeystoneAuth(http, settings) : new SwiftTempAuth(http, settings);
    }

    /** The cached session, logging in first if there is none or it is about to expire. */
    synchronized Session session() throws IOException {
        if (current == null || current.expires() != null && Instant.now().isAfter(current.expires().minus(RENEW_BEFORE))) {
            current = countedLogin();
        }
        return current;
    }

    /** Logs in again unless another thread already replaced {@code rejected}. */
    synchronized Session refresh(Session rejected) throws IOException {
        if (current == null || current.equals(rejected)) {
            current = countedLogin();
        }
        return current;
    }

    /** Number of logins so far (for tests and logs). */
    synchronized int logins() {
        return logins;
    }

    private Session countedLogin() throws IOException {
        Session s = login();
        logins++;
        return s;
    }

    /** One login; a rejection of the credentials is a {@link SwiftAuthException} whose message never has the key. */
    protected abstract Session login() throws IOException;

    protected final <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while authenticating");
        }
    }

    static URI trimSlash(String url) {
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
}
