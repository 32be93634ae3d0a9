package org.autosync.targets;

import java.io.IOException;
import java.nio.file.Path;

/** The source file changed size while it was being uploaded; the next pass retries it. */
public final class FileChangedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public FileChangedException(Path file, String detail) {
        super("source file changed while uploading: " + file + " (" + detail + ")");
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
