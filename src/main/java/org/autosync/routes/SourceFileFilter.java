package org.autosync.routes;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.autosync.local.SettleRule;
import org.autosync.local.SourceFilter;

/**
 * The file route's filter: the user's regex on the absolute path (camel-file's own {@code include}
 * sees only the file name), and the same symlink rule as the reconciliation walk: symlinked
 * directories are pruned unless followed, and a followed link that leads back to one of its own
 * ancestors is pruned (camel-file itself has no loop guard). A file that is not yet
 * {@link SettleRule settled} is rejected this poll, from the mtime camel-file already read: it is then
 * neither consumed nor offered to the idempotent repository, so a later poll picks it up.
 */
public final class SourceFileFilter implements GenericFileFilter<File> {

    private final SourceFilter filter;
    private final boolean followSymlinks;
    private final SettleRule settle;

    public SourceFileFilter(SourceFilter filter, boolean followSymlinks, SettleRule settle) {
        this.filter = filter;
        this.followSymlinks = followSymlinks;
        this.settle = settle;
    }

    public SourceFileFilter(SourceFilter filter, boolean followSymlinks) {
        this(filter, followSymlinks, SettleRule.disabled());
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        Path path = Path.of(file.getAbsoluteFilePath());
        if (!file.isDirectory()) {
            return filter.accepts(path) && settle.isSettled(file.getLastModified());
        }
        if (!Files.isSymbolicLink(path)) {
            return true;
        }
        return followSymlinks && !leadsToAncestor(path);
    }

    private static boolean leadsToAncestor(Path link) {
        try {
            Path target = link.toRealPath();
            return link.getParent().toRealPath().startsWith(target);
        } catch (IOException e) {
            return true;
        }
    }
}
