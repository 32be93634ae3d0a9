package org.autosync.targets;

import java.util.Iterator;

/**
 * A streamed listing of a target. Pages are fetched lazily while iterating. A failure to fetch a page
 * surfaces as an unchecked exception from {@link #hasNext()} or {@link #next()}: a listing that did not
 * run to its end is never complete, and nothing may be deleted on its strength.
 */
public interface RemoteListing extends Iterator<RemoteObject>, AutoCloseable {

    /**
     * Whether the target promises keys in S3 order (UTF-8 binary), like the original autosync
     * actor's {@code already_sorted}. The reconciliation still checks it and falls back to sorting.
     */
    boolean alreadySorted();

    @Override
    default void close() {
    }

    /** A listing of objects already at hand, e.g. for an actor whose backend answers in one piece. */
    static RemoteListing of(Iterator<RemoteObject> objects, boolean sorted) {
        return new RemoteListing() {
            @Override
            public boolean alreadySorted() {
                return sorted;
            }

            @Override
            public boolean hasNext() {
                return objects.hasNext();
            }

            @Override
            public RemoteObject next() {
                return objects.next();
            }
        };
    }
}
