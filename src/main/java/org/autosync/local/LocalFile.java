package org.autosync.local;

import java.nio.file.Path;

/**
 * One file found under a source directory.
 *
 * @param path        absolute path as walked (a symlink stays the link's path, it is not resolved)
 * @param key         the target key the file mirrors to
 * @param size        size in bytes (of the link's target for a symlink)
 * @param mtimeMillis last-modified time in milliseconds (of the link's target for a symlink)
 */
public record LocalFile(Path path, String key, long size, long mtimeMillis) {
}
