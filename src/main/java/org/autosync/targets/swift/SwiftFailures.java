package org.autosync.targets.swift;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import org.autosync.errors.Causes;

/**
 * What a failure talking to one Swift account means: one line for the user ({@link #explain}) and whether only a
 * change of configuration can cure it ({@link #isConfigurationError}: a rejected login, an endpoint that cannot be
 * reached, a 403) or a later retry may.
 */
final class SwiftFailures {

    private final SwiftSettings settings;

    SwiftFailures(SwiftSettings settings) {
        this.settings = settings;
    }

    String explain(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof SwiftAuthException) {
            return t.getMessage();
        }
        Optional<Throwable> unreachable = unreachable(t);
        if (unreachable.isPresent()) {
            return "cannot reach the Swift endpoint " + settings.authUrl() + ": " + (t.getMessage() != null
                    ? t.getMessage() : t.getClass().getSimpleName());
        }
        if (t instanceof SwiftException se && se.status() == 403) {
            return "Swift refused access for user '" + settings.user() + "' (403): " + se.getMessage();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /**
     * Whether trying again later may succeed: by the rule {@link SwiftHttp} retries a request by (5xx, 429, 498, I/O
     * errors such as a refused connection or a timeout); a rejected login and any other answer are permanent.
     */
    boolean isTransient(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof SwiftAuthException) {
            return false;
        }
        if (t instanceof SwiftException se) {
            return SwiftHttp.retryable(se.status());
        }
        return t instanceof IOException io && SwiftHttp.retryable(io);
    }

    boolean isConfigurationError(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof SwiftAuthException || unreachable(t).isPresent()
                || t instanceof SwiftException se && se.status() == 403;
    }

    private static Optional<Throwable> unreachable(Throwable t) {
        return Causes.find(ConnectException.class, t).<Throwable>map(c -> c)
                .or(() -> Causes.find(UnknownHostException.class, t))
                .or(() -> Causes.find(NoRouteToHostException.class, t))
                .or(() -> Causes.find(HttpConnectTimeoutException.class, t));
    }

    /** The failure without the wrappers it travelled in: UncheckedIOException, CompletionException and Camel's own. */
    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof UncheckedIOException || t instanceof CompletionException
                || t.getClass().getName().startsWith("org.apache.camel.") && t.getCause() != null)
                && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
