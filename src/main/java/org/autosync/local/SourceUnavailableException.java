package org.autosync.local;

import java.nio.file.Path;

/** The source directory itself cannot be walked: missing, not a directory, or unreadable. */
public class SourceUnavailableException extends RuntimeException {

    private final Path source;

    public SourceUnavailableException(Path source, String message, Throwable cause) {
        super(message, cause);
        this.source = source;
    }

    public Path source() {
        return source;
    }
}
