package org.autosync.target.swift;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one Swift container.
 *
 * @param authUrl        the v1 auth endpoint (tempauth, swauth, or a Keystone with the v1 shim), e.g.
 *                       {@code http://127.0.0.1:8080/auth/v1.0}
 * @param user           {@code account:user}, sent as {@code X-Auth-User}
 * @param key            the password, sent as {@code X-Auth-Key}; never logged, never in {@link #toString()}
 * @param container      the container to mirror into
 * @param segmentSize    size of a Static Large Object segment; 0 = the cluster's {@code max_file_size}
 *                       (from {@code GET /info}), capped at 1 GiB
 * @param largeThreshold files larger than this become SLOs; 0 = the cluster's {@code max_file_size}
 * @param listLimit      objects per listing page (Swift's maximum is 10,000)
 * @param createContainerIfMissing create the container on the first listing when it is missing (off for dry runs)
 * @param timeout        connect timeout, and the response timeout of requests without a body
 */
public record SwiftSettings(URI authUrl, String user, String key, String container, long segmentSize,
                            long largeThreshold, int listLimit, boolean createContainerIfMissing,
                            Duration timeout) {

    public static final int MAX_LIST_LIMIT = 10_000;

    public SwiftSettings {
        Objects.requireNonNull(authUrl, "authUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(key, "key");
        if (container == null || container.isBlank() || container.contains("/")) {
            throw new IllegalArgumentException("invalid Swift container name '" + container + "'");
        }
        if (segmentSize < 0 || largeThreshold < 0) {
            throw new IllegalArgumentException("segment size and large-object threshold must not be negative");
        }
        if (listLimit < 1 || listLimit > MAX_LIST_LIMIT) {
            throw new IllegalArgumentException("listLimit must be 1.." + MAX_LIST_LIMIT);
        }
        Objects.requireNonNull(timeout, "timeout");
    }

    public static SwiftSettings of(URI authUrl, String user, String key, String container) {
        return new SwiftSettings(authUrl, user, key, container, 0, 0, MAX_LIST_LIMIT, true, Duration.ofSeconds(30));
    }

    public SwiftSettings withListLimit(int limit) {
        return new SwiftSettings(authUrl, user, key, container, segmentSize, largeThreshold, limit,
                createContainerIfMissing, timeout);
    }

    public SwiftSettings withLargeObjects(long threshold, long segment) {
        return new SwiftSettings(authUrl, user, key, container, segment, threshold, listLimit,
                createContainerIfMissing, timeout);
    }

    public SwiftSettings withCreateContainerIfMissing(boolean create) {
        return new SwiftSettings(authUrl, user, key, container, segmentSize, largeThreshold, listLimit, create,
                timeout);
    }

    public SwiftSettings withKey(String newKey) {
        return new SwiftSettings(authUrl, user, newKey, container, segmentSize, largeThreshold, listLimit,
                createContainerIfMissing, timeout);
    }

    /** The container that holds SLO segments, python-swiftclient's and rclone's convention. */
    public String segmentsContainer() {
        return container + "_segments";
    }

    @Override
    public String toString() {
        return "SwiftSettings[authUrl=" + authUrl + ", user=" + user + ", key=***, container=" + container
                + ", segmentSize=" + segmentSize + ", largeThreshold=" + largeThreshold + ", listLimit=" + listLimit
                + ", createContainerIfMissing=" + createContainerIfMissing + ", timeout=" + timeout + "]";
    }
}
