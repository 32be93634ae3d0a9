package org.autosync.targets.swift;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.autosync.targets.Actor;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;
import org.autosync.targets.Upload;
import org.autosync.targets.FileChangedException;
import org.autosync.targets.StoredMtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Actor} for OpenStack Swift, on the Swift API with v1 (tempauth-style) authentication, over
 * {@code java.net.http.HttpClient}. Not on camel-openstack/openstack4j: that has Keystone only, keeps its
 * session per thread (fails on consumer threads), does not page listings, sets no metadata and has no large
 * objects.
 *
 * <ul>
 *   <li><b>List</b>: {@link SwiftListing}, marker paging, lazily; a missing container is created on the first
 *       listing (unless {@link SwiftSettings#createContainerIfMissing()} is off).</li>
 *   <li><b>Upload</b>: streamed from the file with {@code ETag} = its MD5 (computed in a first streaming read;
 *       Swift verifies it and answers 422 on a mismatch, e.g. when the file changed in between) and the
 *       source mtime as {@code X-Object-Meta-Mtime} in rclone's format ({@link StoredMtime}). Files above the
 *       large-object threshold (default: the cluster's {@code max_file_size} from {@code GET /info}) become
 *       Static Large Objects: segments, each with its own MD5, go one after another into
 *       {@code <container>_segments} as {@code <key>/slo/<upload id>/<8-digit index>} (the convention of
 *       python-swiftclient and rclone: the mirrored container's listing stays clean), then the manifest is
 *       PUT with the metadata. Exactly the segments of the manifest an upload or delete replaced are removed
 *       afterwards, none in a versioned container ({@link SwiftSegments}).</li>
 *   <li><b>Delete</b>: {@link SwiftDeletes}, with the segments of deleted large objects.</li>
 * </ul>
 *
 * <p>What failures mean is {@link SwiftFailures}'. Thread-safe.
 */
public final class SwiftActor implements Actor {

    private static final Logger LOG = LoggerFactory.getLogger(SwiftActor.class);
    private static final long GIB = 1024L * 1024 * 1024;
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    static final String SLO_MARKER = "/slo/";

    private final SwiftSettings settings;
    private final SwiftClient client;
    private final SwiftFailures failures;
    private final SwiftDeletes deletes;
    private final SwiftSegments segments;

    public SwiftActor(SwiftSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = new SwiftClient(settings);
        this.failures = new SwiftFailures(settings);
        this.deletes = new SwiftDeletes(client, failures);
        this.segments = new SwiftSegments(settings, client, deletes);
    }

    public SwiftSettings settings() {
        return settings;
    }

    /** Package-private: this package's tests read its logins and session. */
    SwiftClient client() {
        return client;
    }

    // ---------------------------------------------------------------- list

    @Override
    public RemoteListing list(String prefix) {
        try {
            List<RemoteObject> first = SwiftListing.fetchPage(client, settings.container(), prefix, null,
                    settings.listLimit());
            if (first == null) {
                if (settings.createContainerIfMissing()) {
                    client.createContainer(settings.container());
                    LOG.info("created container {}", settings.container());
                } else {
                    LOG.info("container {} does not exist (not created: creation is off); listing it as empty",
                            settings.container());
                }
                first = List.of();
            }
            return new SwiftListing(client, settings.container(), prefix, settings.listLimit(), first);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- upload

    @Override
    public String upload(Upload upload) throws IOException {
        Objects.requireNonNull(upload, "upload");
        long threshold = settings.largeThreshold() > 0 ? settings.largeThreshold()
                : client.capabilities().maxFileSize();
        // read before the upload: afterwards it may already be another upload's manifest (see SwiftSegments)
        Set<SwiftSegments.Segment> replaced = segments.of(upload.key());
        String etag;
        List<SwiftSegments.Segment> written = new ArrayList<>();
        if (upload.size() > threshold) {
            String uploadId = System.currentTimeMillis() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
            etag = uploadLarge(upload, upload.key() + SLO_MARKER + uploadId + "/", written);
        } else {
            etag = uploadSingle(upload);
        }
        segments.removeReplaced(upload.key(), replaced, written);
        return etag;
    }

    private Map<String, String> objectHeaders(Upload upload) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", upload.contentType() != null ? upload.contentType() : DEFAULT_CONTENT_TYPE);
        if (upload.metadata() != null) {
            upload.metadata().forEach((k, v) -> headers.put("X-Object-Meta-" + k, v));
        }
        headers.put("X-Object-Meta-" + StoredMtime.KEY, StoredMtime.format(upload.mtimeMillis()));
        return headers;
    }

    private String uploadSingle(Upload upload) throws IOException {
        String md5 = md5(upload, 0, upload.size());
        Map<String, String> headers = objectHeaders(upload);
        headers.put("ETag", md5);
        String etag = put(upload, SwiftClient.encodePath(settings.container(), upload.key()), null, headers,
                SwiftClient.fileRange(upload.file(), 0, upload.size()));
        checkSizeUnchanged(upload);
        return etag;
    }

    /** Segments, then the manifest; {@code written} receives the segments the manifest references. */
    private String uploadLarge(Upload upload, String segmentPrefix, List<SwiftSegments.Segment> written)
            throws IOException {
        SwiftClient.Capabilities caps = client.capabilities();
        long segment = settings.segmentSize() > 0 ? settings.segmentSize() : Math.min(caps.maxFileSize(), GIB);
        long minForCount = (upload.size() + caps.maxManifestSegments() - 1) / caps.maxManifestSegments();
        segment = Math.max(segment, minForCount);
        if (segment > caps.maxFileSize()) {
            throw new IOException(upload.key() + " is too large for this cluster: " + upload.size() + " bytes need more than "
                    + caps.maxManifestSegments() + " segments of at most " + caps.maxFileSize() + " bytes");
        }
        String segContainer = settings.segmentsContainer();
        segments.ensureSegmentsContainer();
        ArrayNode manifest = SwiftClient.JSON.createArrayNode();
        try {
            int index = 0;
            for (long offset = 0; offset < upload.size(); offset += segment, index++) {
                long length = Math.min(segment, upload.size() - offset);
                String name = segmentPrefix + String.format("%08d", index);
                String md5 = md5(upload, offset, length);
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("ETag", md5);
                headers.put("Content-Type", DEFAULT_CONTENT_TYPE);
                put(upload, SwiftClient.encodePath(segContainer, name), null, headers,
                        SwiftClient.fileRange(upload.file(), offset, length));
                written.add(new SwiftSegments.Segment(segContainer, name));
                manifest.addObject().put("path", "/" + segContainer + "/" + name).put("etag", md5)
                        .put("size_bytes", length);
            }
            checkSizeUnchanged(upload);
            byte[] json = SwiftClient.JSON.writeValueAsBytes(manifest);
            return put(upload, SwiftClient.encodePath(settings.container(), upload.key()),
                    SwiftClient.query("multipart-manifest", "put"), objectHeaders(upload),
                    () -> HttpRequest.BodyPublishers.ofByteArray(json));
        } catch (IOException | RuntimeException e) {
            if (!written.isEmpty()) {
                List<DeleteFailure> left = deletes.delete(segContainer,
                        written.stream().map(SwiftSegments.Segment::name).toList());
                if (!left.isEmpty()) {
                    LOG.warn("{} segments of the failed upload of {} could not be removed from {}", left.size(),
                            upload.key(), segContainer);
                }
            }
            throw e;
        }
    }

    private String put(Upload upload, String path, String query, Map<String, String> headers, SwiftClient.Body body)
            throws IOException {
        HttpResponse<String> r;
        try {
            r = client.send("PUT", path, query, headers, body, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (Files.size(upload.file()) != upload.size()) {
                throw new FileChangedException(upload.file(), "now " + Files.size(upload.file()) + " bytes, expected "
                        + upload.size());
            }
            throw e;
        }
        if (r.statusCode() == 404 && query == null && settings.createContainerIfMissing()) {
            // the container (or the segments container) went missing: create it once and retry
            client.createContainer(path.substring(1, path.indexOf('/', 1)));
            r = client.send("PUT", path, query, headers, body, HttpResponse.BodyHandlers.ofString());
        }
        if (r.statusCode() == 422) {
            throw new FileChangedException(upload.file(), "its content no longer matches the MD5 computed just before"
                    + " the upload of " + upload.key());
        }
        if (r.statusCode() / 100 != 2) {
            throw new SwiftException(r.statusCode(), "PUT " + upload.key(), r.body());
        }
        return r.headers().firstValue("ETag").map(SwiftListing::unquote).orElse(null);
    }

    /** Streams {@code length} bytes from {@code offset}; fewer bytes means the file shrank. */
    private static String md5(Upload upload, long offset, long length) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long read = 0;
        try (InputStream in = SwiftClient.openRange(upload.file(), offset, length)) {
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md5.update(buffer, 0, n);
                read += n;
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (read != length) {
            throw new FileChangedException(upload.file(), "only " + (offset + read) + " bytes, expected " + upload.size());
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static void checkSizeUnchanged(Upload upload) throws IOException {
        long now = Files.size(upload.file());
        if (now != upload.size()) {
            throw new FileChangedException(upload.file(), "now " + now + " bytes, expected " + upload.size());
        }
    }

    // ---------------------------------------------------------------- delete

    /**
     * Deletes {@code keys}, and then the segments of those that were large objects of ours: their manifests
     * are read before the delete, and exactly their segments go ({@link SwiftSegments}).
     */
    @Override
    public List<DeleteFailure> delete(List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<String, Set<SwiftSegments.Segment>> manifests;
        try {
            manifests = segments.ofKeysToDelete(keys);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not find the segments of the large objects to delete in {}; they stay: {}",
                    settings.segmentsContainer(), explain(e));
            manifests = Map.of();
        }
        List<DeleteFailure> failures = deletes.delete(settings.container(), keys);
        Set<String> failed = new HashSet<>();
        failures.forEach(f -> failed.add(f.key()));
        manifests.forEach((key, old) -> {
            if (!failed.contains(key)) {
                segments.removeReplaced(key, old, List.of());
            }
        });
        return failures;
    }

    // ---------------------------------------------------------------- copy (--backup_prefix)

    /**
     * Server-side copy ({@code X-Copy-From}) with the object's metadata. A Static Large Object is copied
     * as its content, which the cluster refuses above its maximum object size: that copy fails, and so
     * the object is not deleted (the caller never deletes what it could not back up).
     */
    @Override
    public void copy(String fromKey, String toKey) throws IOException {
        HttpResponse<String> r = client.send("PUT", SwiftClient.encodePath(settings.container(), toKey), null,
                Map.of("X-Copy-From", SwiftClient.encodePath(settings.container(), fromKey)),
                null, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new SwiftException(r.statusCode(), "COPY " + fromKey + " to " + toKey, r.body());
        }
    }

    // ---------------------------------------------------------------- metadata

    @Override
    public Optional<Long> storedMtimeMillis(String key) {
        try {
            HttpResponse<Void> r = client.send("HEAD", SwiftClient.encodePath(settings.container(), key), null,
                    Map.of(), null, HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            if (r.statusCode() / 100 != 2) {
                throw new SwiftException(r.statusCode(), "HEAD " + key, null);
            }
            return r.headers().firstValue("X-Object-Meta-" + StoredMtime.KEY).flatMap(StoredMtime::parseMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- failures

    @Override
    public String explain(Throwable failure) {
        return failures.explain(failure);
    }

    @Override
    public boolean isConfigurationError(Throwable failure) {
        return failures.isConfigurationError(failure);
    }

    @Override
    public boolean isTransient(Throwable failure) {
        return failures.isTransient(failure);
    }

    @Override
    public String describe() {
        return "swift://" + settings.container() + " at " + settings.authUrl() + " as " + settings.user();
    }
}
