package org.autosync.reconcile;

/**
 * A merge input was not strictly ascending in S3 key order. A merge that met this has been aborted; what
 * it already reported must not be acted on as if it were complete (in particular, no deletions).
 */
public class UnsortedListingException extends RuntimeException {

    public enum Side { LOCAL, REMOTE }

    private final Side side;
    private final String previousKey;
    private final String offendingKey;

    public UnsortedListingException(Side side, String previousKey, String offendingKey) {
        super(side + " listing is not strictly ascending in S3 key order: '" + offendingKey + "' came after '"
                + previousKey + "'" + (previousKey.equals(offendingKey) ? " (duplicate key)" : ""));
        this.side = side;
        this.previousKey = previousKey;
        this.offendingKey = offendingKey;
    }

    public Side side() {
        return side;
    }

    public String previousKey() {
        return previousKey;
    }

    public String offendingKey() {
        return offendingKey;
    }
}
