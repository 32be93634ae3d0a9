package org.autosync.state;

/**
 * The idempotent key of a source file as the file consumer sees it: object key, size and mtime.
 * Formatted as {@code key|size|mtime}; parsed from the right because keys may contain {@code |}.
 */
public record Fingerprint(String key, long size, long mtimeMillis) {

    public String format() {
        return key + '|' + size + '|' + mtimeMillis;
    }

    public static Fingerprint parse(String text) {
        int mtimeSep = text.lastIndexOf('|');
        int sizeSep = mtimeSep > 0 ? text.lastIndexOf('|', mtimeSep - 1) : -1;
        if (sizeSep < 0) {
            throw new IllegalArgumentException("not a file fingerprint (key|size|mtime): " + text);
        }
        return new Fingerprint(text.substring(0, sizeSep),
                Long.parseLong(text.substring(sizeSep + 1, mtimeSep)),
                Long.parseLong(text.substring(mtimeSep + 1)));
    }
}
