package org.autosync.targets;

import java.nio.file.Path;
import java.util.Map;

/**
 * What to put where.
 *
 * @param key          target object key
 * @param file         local file to stream from
 * @param size         size of the file when it was examined
 * @param mtimeMillis  last-modified time of the file when it was examined
 * @param contentType  MIME type, or null for the target's default
 * @param metadata     extra user metadata (the actor adds the mtime itself)
 * @param storageClass the target's storage class (S3: {@code STANDARD_IA}, {@code GLACIER_IR}, ...), or null for
 *                     the bucket's default; targets without storage classes ignore it
 */
public record Upload(String key, Path file, long size, long mtimeMillis, String contentType,
                     Map<String, String> metadata, String storageClass) {

    /** An upload in the target's default storage class. */
    public Upload(String key, Path file, long size, long mtimeMillis, String contentType, Map<String, String> metadata) {
        this(key, file, size, mtimeMillis, contentType, metadata, null);
    }
}
