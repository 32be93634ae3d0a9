package org.autosync.targets;

/**
 * One object as a target's listing reports it.
 *
 * @param key  the object key (never starts with {@code /})
 * @param size content length in bytes
 * @param etag the entity tag without quotes; for S3 single-part uploads the hex MD5 of the content,
 *             for multipart uploads {@code <hex>-<parts>}; may be null when the target has none
 */
public record RemoteObject(String key, long size, String etag) {
}
