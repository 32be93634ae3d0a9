package org.autosync.targets.swift;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;

import org.autosync.targets.FileChangedException;
import org.junit.jupiter.api.Test;

/** Which Swift failures may pass with time: the same rule by which a request is retried. */
class SwiftFailuresTest {

    private final SwiftFailures failures = new SwiftFailures(
            SwiftSettings.of(URI.create("http://127.0.0.1:1/auth/v1.0"), "test:tester", "testing", "c"));

    @Test
    void answersThatMayPassAreTransient() {
        for (int status : new int[] {500, 503, 429, 498}) {
            assertThat(failures.isTransient(new SwiftException(status, "PUT /c/k", ""))).as("status %d", status).isTrue();
        }
        assertThat(failures.isTransient(new UncheckedIOException(new ConnectException("Connection refused")))).isTrue();
        assertThat(failures.isTransient(new HttpTimeoutException("request timed out"))).isTrue();
    }

    @Test
    void answersThatWillNotChangeAndLocalFailuresArePermanent() {
        for (int status : new int[] {400, 401, 403, 404, 409, 413, 422}) {
            assertThat(failures.isTransient(new SwiftException(status, "PUT /c/k", ""))).as("status %d", status).isFalse();
        }
        assertThat(failures.isTransient(new SwiftAuthException(401, "login refused"))).isFalse();
        assertThat(failures.isTransient(new AccessDeniedException("/src/a.txt"))).isFalse();
        assertThat(failures.isTransient(new FileChangedException(java.nio.file.Path.of("a.txt"), "changed while it was read"))).isFalse();
        assertThat(failures.isTransient(new IllegalStateException("a bug"))).isFalse();
    }
}
