package org.autosync.targets.swift;

import java.io.IOException;

/** The credentials were rejected (at login, or again right after a fresh login): a configuration error. */
public final class SwiftAuthException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public SwiftAuthException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
