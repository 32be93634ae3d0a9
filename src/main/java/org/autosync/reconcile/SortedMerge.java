package org.autosync.reconcile;

import org.autosync.keys.S3KeyOrder;
import org.autosync.local.LocalFile;
import org.autosync.reconcile.UnsortedListingException.Side;
import org.autosync.targets.RemoteObject;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Merges the local files and the remote objects of one mirror, both streamed in S3 key order, in constant
 * memory. Each input is checked to be strictly ascending as it is read; the check only looks one element
 * ahead, so a listener may already have been called for earlier keys when {@link UnsortedListingException}
 * is thrown, and should defer irreversible actions (deletions) until the merge returned.
 */
public final class SortedMerge {

    private SortedMerge() {
    }

    /**
     * Calls the listener once for every key of either side, in ascending key order.
     *
     * @throws UnsortedListingException as soon as either side yields a key not greater than its previous one,
     *                                  before anything is reported for that element
     */
    public static void merge(Iterator<LocalFile> local, Iterator<RemoteObject> remote, MergeListener listener) {
        AscendingCursor<LocalFile> locals = new AscendingCursor<>(local, LocalFile::key, Side.LOCAL);
        AscendingCursor<RemoteObject> remotes = new AscendingCursor<>(remote, RemoteObject::key, Side.REMOTE);
        while (locals.hasCurrent() && remotes.hasCurrent()) {
            int order = S3KeyOrder.INSTANCE.compare(locals.currentKey(), remotes.currentKey());
            if (order < 0) {
                listener.onlyLocal(locals.current());
                locals.advance();
            } else if (order > 0) {
                listener.onlyRemote(remotes.current());
                remotes.advance();
            } else {
                listener.both(locals.current(), remotes.current());
                locals.advance();
                remotes.advance();
            }
        }
        // the current element of the side left over has not been reported yet
        while (locals.hasCurrent()) {
            listener.onlyLocal(locals.current());
            locals.advance();
        }
        while (remotes.hasCurrent()) {
            listener.onlyRemote(remotes.current());
            remotes.advance();
        }
    }

    /**
     * Reads a whole listing into memory and returns it sorted in S3 key order, for a target that does not
     * promise (or did not keep) that order. Of objects with the same key only the last one read is kept.
     */
    public static Iterator<RemoteObject> sortedCopy(Iterator<RemoteObject> listing) {
        TreeMap<String, RemoteObject> byKey = new TreeMap<>(S3KeyOrder.INSTANCE);
        listing.forEachRemaining(object -> byKey.put(object.key(), object));
        return byKey.values().iterator();
    }

    /** An iterator with its current element exposed, checking strict ascent on every step. */
    private static final class AscendingCursor<T> {

        private final Iterator<T> source;
        private final Function<T, String> keyOf;
        private final Side side;
        private T current;
        private String currentKey;

        AscendingCursor(Iterator<T> source, Function<T, String> keyOf, Side side) {
            this.source = source;
            this.keyOf = keyOf;
            this.side = side;
            advance();
        }

        boolean hasCurrent() {
            return current != null;
        }

        T current() {
            if (current == null) {
                throw new NoSuchElementException();
            }
            return current;
        }

        String currentKey() {
            return currentKey;
        }

        void advance() {
            if (!source.hasNext()) {
                current = null;
                currentKey = null;
                return;
            }
            T element = Objects.requireNonNull(source.next(), () -> side + " listing yielded null");
            String key = keyOf.apply(element);
            if (currentKey != null && S3KeyOrder.INSTANCE.compare(currentKey, key) >= 0) {
                throw new UnsortedListingException(side, currentKey, key);
            }
            current = element;
            currentKey = key;
        }
    }
}
