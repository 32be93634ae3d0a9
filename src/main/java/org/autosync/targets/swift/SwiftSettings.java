package org.autosync.targets.swift;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one Swift container.
 *
 * @param authUrl        the v1 auth endpoint (tempauth, swauth), e.g. {@code http://127.0.0.1:8080/auth/v1.0}; or a
 *                       Keystone v3 endpoint, recognised by its path ending in {@code /v3} (see {@link #keystone()})
 * @param user           v1: {@code account:user}, sent as {@code X-Auth-User}; Keystone: the user name
 * @param key            the password (v1: sent as {@code X-Auth-Key}); never logged, never in {@link #toString()}
 * @param container      the container to mirror into
 * @param segmentSize    size of a Static Large Object segment; 0 = the cluster's {@code max_file_size}
 *                       (from {@code GET /info}), capped at 1 GiB
 * @param largeThreshold files larger than this become SLOs; 0 = the cluster's {@code max_file_size}
 * @param listLimit      objects per listing page (Swift's maximum is 10,000)
 * @param createContainerIfMissing create the container on the first listing when it is missing (off for dry runs)
 * @param timeout        idle timeout: a request fails when neither its body nor the answer moved for this long
 *                       (with a body too: a server that takes an upload and never answers); also the login's
 *                       response timeout, and the connect timeout up to 10 s. Default {@link #DEFAULT_TIMEOUT}, 60 s:
 *                       the S3 side's socket timeout (rclone's {@code --timeout} is 5 min of idle connection)
 * @param project        Keystone only: the project (tenant) the token is scoped to; null for v1
 * @param domain         Keystone only: the domain of the user and of the project, by name (case-sensitive)
 */
public record SwiftSettings(URI authUrl, String user, String key, String container, long segmentSize,
                            long largeThreshold, int listLimit, boolean createContainerIfMissing,
                            Duration timeout, String project, String domain) {

    /** Keystone's bootstrap domain; names are compared case-sensitively. */
    public static final String DEFAULT_DOMAIN = "Default";

    public static final int MAX_LIST_LIMIT = 10_000;

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

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
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (domain == null || domain.isBlank()) {
            domain = DEFAULT_DOMAIN;
        }
        if (keystone(authUrl) && (project == null || project.isBlank())) {
            throw new IllegalArgumentException("a Keystone v3 auth URL (" + authUrl + ") needs a project to scope the token to");
        }
    }

    /** True when {@code url}'s path ends in {@code /v3} or {@code /v3/}: Keystone v3 password authentication. */
    public static boolean keystone(URI url) {
        String path = url.getPath();
        return path != null && (path.endsWith("/v3") || path.endsWith("/v3/"));
    }

    /** Keystone v3 rather than v1 (tempauth) authentication. */
    public boolean keystone() {
        return keystone(authUrl);
    }

    public static SwiftSettings of(URI authUrl, String user, String key, String container) {
        return new SwiftSettings(authUrl, user, key, container, 0, 0, MAX_LIST_LIMIT, true, DEFAULT_TIMEOUT,
                null, null);
    }

    /** Keystone v3: {@code authUrl} ends in {@code /v3}; the token is scoped to {@code project}. */
    public static SwiftSettings keystone(URI authUrl, String user, String key, String project, String domain,
                                         String container) {
        return new SwiftSettings(authUrl, user, key, container, 0, 0, MAX_LIST_LIMIT, true, DEFAULT_TIMEOUT,
                project, domain);
    }

    public SwiftSettings withListLimit(int limit) {
        return new SwiftSettings(authUrl, user, key, container, segmentSize, largeThreshold, limit,
                createContainerIfMissing, timeout, project, domain);
    }

    public SwiftSettings withLargeObjects(long threshold, long segment) {
        return new SwiftSettings(authUrl, user, key, container, segment, threshold, listLimit,
                createContainerIfMissing, timeout, project, domain);
    }

    public SwiftSettings withCreateContainerIfMissing(boolean create) {
        return new SwiftSettings(authUrl, user, key, container, segmentSize, largeThreshold, listLimit, create,
                timeout, project, domain);
    }

    public SwiftSettings withTimeout(Duration newTimeout) {
        return new SwiftSettings(authUrl, user, key, container, segmentSize, largeThreshold, listLimit,
                createContainerIfMissing, newTimeout, project, domain);
    }

    public SwiftSettings withKey(String newKey) {
        return new SwiftSettings(authUrl, user, newKey, container, segmentSize, largeThreshold, listLimit,
                createContainerIfMissing, timeout, project, domain);
    }

    /** The container that holds SLO segments, python-swiftclient's and rclone's convention. */
    public String segmentsContainer() {
        return container + "_segments";
    }

    @Override
    public String toString() {
        return "SwiftSettings[authUrl=" + authUrl + ", user=" + user + ", key=***, container=" + container
                + ", segmentSize=" + segmentSize + ", largeThreshold=" + largeThreshold + ", listLimit=" + listLimit
                + ", createContainerIfMissing=" + createContainerIfMissing + ", timeout=" + timeout
                + (keystone() ? ", project=" + project + ", domain=" + domain : "") + "]";
    }
}
