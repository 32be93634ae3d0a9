package org.autosync.targets.swift;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.autosync.targets.Actor.DeleteFailure;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments of large objects, and when they may go. As rclone does: the manifest an upload or a delete
 * replaces is read BEFORE it ({@link #of}: SLO {@code ?multipart-manifest=get}, DLO {@code X-Object-Manifest}
 * prefix listing), and afterwards exactly its segments that the new manifest does not reference are deleted
 * ({@link #removeReplaced}), none at all when the container keeps versions ({@code X-History-Location},
 * {@code X-Versions-Location}, {@code X-Versions-Enabled}): old versions still reference them.
 *
 * <p>Never "every segment of the key but mine": two uploads of one key at once would delete each other's
 * segments, and the winning manifest would point at nothing. Segments of an upload that lost such a race, or
 * of one that crashed, stay behind as garbage in {@code <container>_segments}, never referenced; that is the
 * price of never deleting a segment some manifest may still need.
 *
 * <p>Segments that lie in the mirrored container itself are never deleted here: they are the mirror's objects.
 */
final class SwiftSegments {

    private static final Logger LOG = LoggerFactory.getLogger(SwiftSegments.class);

    /** One segment: its container and object name. */
    record Segment(String container, String name) {
    }

    private final SwiftSettings settings;
    private final SwiftClient client;
    private final SwiftDeletes deletes;
    /** Whether the segments container is known to exist; null = not checked yet. */
    private volatile Boolean segmentsContainerExists;

    SwiftSegments(SwiftSettings settings, SwiftClient client, SwiftDeletes deletes) {
        this.settings = settings;
        this.client = client;
        this.deletes = deletes;
    }

    /**
     * The segments {@code key}'s current manifest references: empty for a plain or missing object. When that
     * cannot be read the caller does not go ahead: replacing an object whose segments are unknown would leave them
     * behind for good, and a Swift that cannot answer a HEAD will not take an upload either.
     */
    Set<Segment> of(String key) throws IOException {
        HttpResponse<Void> head = client.send("HEAD", SwiftClient.encodePath(settings.container(), key), null,
                Map.of(), null, HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() == 404) {
            return Set.of();
        }
        if (head.statusCode() / 100 != 2) {
            throw new SwiftException(head.statusCode(), "HEAD " + key, null);
        }
        if (head.headers().firstValue("X-Static-Large-Object").filter("true"::equalsIgnoreCase).isPresent()) {
            return sloSegments(key);
        }
        String dlo = head.headers().firstValue("X-Object-Manifest").orElse(null);
        return dlo == null ? Set.of() : dloSegments(URLDecoder.decode(dlo.replace("+", "%2B"), StandardCharsets.UTF_8));
    }

    private Set<Segment> sloSegments(String key) throws IOException {
        HttpResponse<String> r = client.send("GET", SwiftClient.encodePath(settings.container(), key),
                SwiftClient.query("multipart-manifest", "get"), Map.of(), null, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new SwiftException(r.statusCode(), "GET manifest of " + key, r.body());
        }
        Set<Segment> segments = new LinkedHashSet<>();
        for (JsonNode entry : SwiftClient.JSON.readTree(r.body())) {
            String path = entry.hasNonNull("name") ? entry.get("name").asText() : entry.path("path").asText("");
            int slash = path.indexOf('/', 1);
            if (path.startsWith("/") && slash > 1) {
                segments.add(new Segment(path.substring(1, slash), path.substring(slash + 1)));
            }
        }
        return segments;
    }

    /** A Dynamic Large Object ({@code X-Object-Manifest: container/prefix}): whatever is listed under the prefix. */
    private Set<Segment> dloSegments(String manifest) throws IOException {
        int slash = manifest.indexOf('/');
        if (slash <= 0) {
            return Set.of();
        }
        String container = manifest.substring(0, slash);
        String prefix = manifest.substring(slash + 1);
        Set<Segment> segments = new LinkedHashSet<>();
        List<RemoteObject> first = SwiftListing.fetchPage(client, container, prefix, null, settings.listLimit());
        try (RemoteListing listing = new SwiftListing(client, container, prefix, settings.listLimit(), first)) {
            listing.forEachRemaining(o -> segments.add(new Segment(container, o.key())));
        }
        return segments;
    }

    /**
     * After {@code key}'s manifest referencing {@code old} was replaced by one referencing {@code now} (empty:
     * a plain object, or deleted): deletes {@code old} minus {@code now}, unless the container keeps versions.
     * Failures are logged, never thrown: the object itself is in place.
     */
    void removeReplaced(String key, Set<Segment> old, Collection<Segment> now) {
        if (old.isEmpty()) {
            return;
        }
        Map<String, List<String>> stale = new LinkedHashMap<>();
        Set<Segment> keep = Set.copyOf(now);
        for (Segment s : old) {
            if (!keep.contains(s) && !s.container().equals(settings.container())) {
                stale.computeIfAbsent(s.container(), c -> new ArrayList<>()).add(s.name());
            }
        }
        if (stale.isEmpty()) {
            return;
        }
        try {
            if (keepsVersions()) {
                LOG.debug("container {} keeps versions: the old segments of {} stay", settings.container(), key);
                return;
            }
            stale.forEach((container, names) -> {
                List<DeleteFailure> left = deletes.delete(container, names);
                if (left.isEmpty()) {
                    LOG.debug("removed {} old segments of {} from {}", names.size(), key, container);
                } else {
                    LOG.warn("{} old segments of {} could not be removed from {}: {}", left.size(), key, container,
                            left.get(0).reason());
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not remove the old segments of {}: {}", key, e.getMessage());
        }
    }

    /** Whether the mirrored container keeps old versions of objects (and so needs their segments). */
    private boolean keepsVersions() throws IOException {
        HttpResponse<Void> r = client.send("HEAD", SwiftClient.encodePath(settings.container(), null), null, Map.of(),
                null, HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 != 2) {
            throw new SwiftException(r.statusCode(), "HEAD container " + settings.container(), null);
        }
        var h = r.headers();
        return h.firstValue("X-History-Location").isPresent() || h.firstValue("X-Versions-Location").isPresent()
                || h.firstValue("X-Versions-Enabled").filter("true"::equalsIgnoreCase).isPresent();
    }

    /** The key a segment name of ours belongs to ({@code <key>/slo/<id>/<index>}), or null for a foreign name. */
    static String owner(String segmentName) {
        int at = segmentName.lastIndexOf(SwiftActor.SLO_MARKER);
        return at < 0 ? null : segmentName.substring(0, at);
    }

    /**
     * Before deleting {@code keys}: the manifests of those that have segments of ours in the segments
     * container (one listing of it), by key. Keys without segments there are left out.
     */
    Map<String, Set<Segment>> ofKeysToDelete(Collection<String> keys) throws IOException {
        Map<String, Set<Segment>> manifests = new LinkedHashMap<>();
        if (!segmentsContainerExists()) {
            return manifests;
        }
        Set<String> wanted = Set.copyOf(keys);
        Set<String> withSegments = new LinkedHashSet<>();
        List<RemoteObject> first = SwiftListing.fetchPage(client, settings.segmentsContainer(), null, null,
                settings.listLimit());
        try (RemoteListing listing = new SwiftListing(client, settings.segmentsContainer(), null, settings.listLimit(),
                first)) {
            listing.forEachRemaining(o -> {
                String owner = owner(o.key());
                if (owner != null && wanted.contains(owner)) {
                    withSegments.add(owner);
                }
            });
        }
        for (String key : withSegments) {
            manifests.put(key, of(key));
        }
        return manifests;
    }

    /** Creates the segments container unless it is known to exist. */
    void ensureSegmentsContainer() throws IOException {
        if (!Boolean.TRUE.equals(segmentsContainerExists)) {
            client.createContainer(settings.segmentsContainer());
            segmentsContainerExists = true;
        }
    }

    private boolean segmentsContainerExists() throws IOException {
        Boolean known = segmentsContainerExists;
        if (known == null) {
            HttpResponse<Void> r = client.send("HEAD", SwiftClient.encodePath(settings.segmentsContainer(), null), null,
                    Map.of(), null, HttpResponse.BodyHandlers.discarding());
            known = r.statusCode() / 100 == 2;
            segmentsContainerExists = known;
        }
        return known;
    }
}
