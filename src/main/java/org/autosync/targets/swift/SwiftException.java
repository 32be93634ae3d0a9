package org.autosync.targets.swift;

import java.io.IOException;

/** Swift answered a request with an unexpected status. The message never holds the token or the key. */
public final class SwiftException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public SwiftException(int status, String request, String body) {
        super("Swift answered " + status + " to " + request + snippet(body));
        this.status = status;
    }

    public int status() {
        return status;
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        return ": " + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine);
    }
}
