package org.autosync.routes;

import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.file.FileConstants;
import org.autosync.keys.KeyMapper;
import org.autosync.state.Fingerprint;

/**
 * The file route's idempotent key, {@code ${bean:<job>-fingerprint?method=of}}: object key, size and
 * mtime in milliseconds. The default key, the path alone, would never see an edit, and the file
 * language's {@code file:modified} is a Date with second precision.
 */
public final class FileFingerprint {

    private final KeyMapper mapper;

    public FileFingerprint(KeyMapper mapper) {
        this.mapper = mapper;
    }

    /** Reads what camel-file already knows of the file from the headers it sets: no extra stat. */
    public String of(Exchange exchange) {
        Message file = exchange.getMessage();
        return new Fingerprint(mapper.keyFor(Path.of(file.getHeader(FileConstants.FILE_ABSOLUTE_PATH, String.class))),
                file.getHeader(Exchange.FILE_LENGTH, Long.class),
                file.getHeader(Exchange.FILE_LAST_MODIFIED, Long.class)).format();
    }
}
