package org.autosync.routes;

import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.support.ExpressionAdapter;
import org.autosync.keys.KeyMapper;
import org.autosync.state.Fingerprint;

/**
 * The file route's idempotent key: object key, size and mtime in milliseconds (the file language's
 * {@code file:modified} is a Date with second precision, and the default key, the path alone, would
 * never see an edit).
 */
public final class FileFingerprintExpression extends ExpressionAdapter {

    private final KeyMapper mapper;

    public FileFingerprintExpression(KeyMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Object evaluate(Exchange exchange) {
        GenericFile<?> file = exchange.getMessage().getBody(GenericFile.class);
        return new Fingerprint(mapper.keyFor(Path.of(file.getAbsoluteFilePath())), file.getFileLength(),
                file.getLastModified()).format();
    }
}
