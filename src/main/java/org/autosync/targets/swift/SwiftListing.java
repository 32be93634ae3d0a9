package org.autosync.targets.swift;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.databind.JsonNode;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;

/**
 * A container listing fetched lazily one page at a time ({@code GET /container?format=json&prefix=&marker=&limit=}),
 * holding one page at most. Swift lists in UTF-8 byte order (its container databases compare names as
 * UTF-8 byte strings), so {@link #alreadySorted()} is true.
 *
 * <p>The ETag of a Static Large Object is reported as its {@code slo_etag} (the MD5 of its segments' MD5s,
 * as returned by the manifest PUT), which never looks like the MD5 of the content's bytes.
 */
final class SwiftListing implements RemoteListing {

    /** One page, or null when the container does not exist (404). */
    static List<RemoteObject> fetchPage(SwiftClient client, String container, String prefix, String marker,
                                        int limit) throws IOException {
        HttpResponse<String> response = client.send("GET", SwiftClient.encodePath(container, null),
                SwiftClient.query("format", "json", "prefix", prefix == null || prefix.isEmpty() ? null : prefix,
                        "marker", marker, "limit", Integer.toString(limit)),
                Map.of("Accept", "application/json"), null, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() == 204) {
            return List.of();
        }
        if (response.statusCode() != 200) {
            throw new SwiftException(response.statusCode(), "GET listing of container " + container, response.body());
        }
        JsonNode array = SwiftClient.JSON.readTree(response.body());
        List<RemoteObject> page = new ArrayList<>(array.size());
        for (JsonNode entry : array) {
            if (!entry.has("name")) {
                continue; // a "subdir" entry; none without a delimiter
            }
            String etag = entry.hasNonNull("slo_etag") ? unquote(entry.get("slo_etag").asText())
                    : entry.hasNonNull("hash") ? entry.get("hash").asText() : null;
            page.add(new RemoteObject(entry.get("name").asText(), entry.path("bytes").asLong(), etag));
        }
        return page;
    }

    static String unquote(String etag) {
        return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    private final SwiftClient client;
    private final String container;
    private final String prefix;
    private final int limit;
    private Iterator<RemoteObject> current;
    private String marker;
    private boolean lastPage;
    private int pages;

    /** Starts with an already fetched first page. */
    SwiftListing(SwiftClient client, String container, String prefix, int limit, List<RemoteObject> first) {
        this.client = client;
        this.container = container;
        this.prefix = prefix;
        this.limit = limit;
        accept(first == null ? List.of() : first);
    }

    private void accept(List<RemoteObject> page) {
        pages++;
        current = page.iterator();
        lastPage = page.size() < limit;
        if (!page.isEmpty()) {
            marker = page.get(page.size() - 1).key();
        }
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext()) {
            if (lastPage) {
                return false;
            }
            try {
                List<RemoteObject> page = fetchPage(client, container, prefix, marker, limit);
                accept(page == null ? Collections.emptyList() : page);
            } catch (IOException e) {
                throw new UncheckedIOException("listing container " + container + " after '" + marker + "' failed: "
                        + e.getMessage(), e);
            }
        }
        return true;
    }

    @Override
    public RemoteObject next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    /** Pages fetched so far (tests check that paging happened). */
    int pagesFetched() {
        return pages;
    }

    @Override
    public boolean alreadySorted() {
        return true;
    }
}
