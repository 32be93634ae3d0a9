package org.autosync.state;

/**
 * What was last uploaded for one object key: the source file's size and mtime at that moment and the
 * ETag the target returned.
 */
public record SyncRecord(long size, long mtimeMillis, String etag) {

    /** Any difference of size or mtime is a change, even an mtime that moved backwards. */
    public boolean describes(long size, long mtimeMillis) {
        return this.size == size && this.mtimeMillis == mtimeMillis;
    }
}
