package org.autosync.targets.s3;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bucket's objects, one ListObjectsV2 page at a time, the next page requested on the given executor as soon
 * as the current one arrives: the server prepares it while the caller merges, and at most two pages are held. A
 * failed page request surfaces, unchecked, from {@link #hasNext()}.
 */
final class S3Listing implements RemoteListing {

    private final S3Client client;
    private final ListObjectsV2Request request;
    private final ExecutorService executor;
    private Iterator<S3Object> current;
    private Future<ListObjectsV2Response> next;

    /** Starts at {@code first}, the answer to {@code request}. */
    S3Listing(S3Client client, ListObjectsV2Request request, ListObjectsV2Response first, ExecutorService executor) {
        this.client = client;
        this.request = request;
        this.executor = executor;
        take(first);
    }

    /** ETags come quoted, weak ones with {@code W/}: the bare value. */
    static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    private void take(ListObjectsV2Response page) {
        current = page.contents().iterator();
        String token = page.nextContinuationToken();
        next = Boolean.TRUE.equals(page.isTruncated()) && token != null && !token.isEmpty()
                ? executor.submit(() -> client.listObjectsV2(request.toBuilder().continuationToken(token).build()))
                : null;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext()) {
            if (next == null) {
                return false;
            }
            take(await(next));
        }
        return true;
    }

    @Override
    public RemoteObject next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        S3Object o = current.next();
        return new RemoteObject(o.key(), o.size() == null ? 0L : o.size(), unquote(o.eTag()));
    }

    @Override
    public boolean alreadySorted() {
        return true;
    }

    @Override
    public void close() {
        if (next != null) {
            next.cancel(true);
            next = null;
        }
        current = Collections.emptyIterator();
    }

    private ListObjectsV2Response await(Future<ListObjectsV2Response> page) {
        try {
            return page.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing " + request.bucket(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
