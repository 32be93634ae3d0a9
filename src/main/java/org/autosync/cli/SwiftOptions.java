package org.autosync.cli;

import java.net.URI;
import java.util.Map;

import org.autosync.targets.swift.SwiftSettings;

/** {@code --actor=swift} options, with python-swiftclient's environment variables as fallbacks. */
final class SwiftOptions {

    private SwiftOptions() {
    }

    static SwiftSettings settings(AutosyncCommand options, Map<String, String> env) {
        String authUrl = first(options.swiftAuthUrl, env.get("ST_AUTH"));
        String user = first(options.swiftUser, env.get("ST_USER"));
        String key = first(options.swiftKey, env.get("SWIFT_KEY"), env.get("ST_KEY"));
        if (authUrl == null) {
            throw new MirrorApplication.ConfigurationException("--actor=swift needs --swift_auth_url (or $ST_AUTH)");
        }
        if (user == null) {
            throw new MirrorApplication.ConfigurationException("--actor=swift needs --swift_user (or $ST_USER)");
        }
        if (key == null) {
            throw new MirrorApplication.ConfigurationException("--actor=swift needs a key: $SWIFT_KEY, $ST_KEY or --swift_key");
        }
        if (options.targetContainer == null) {
            throw new MirrorApplication.ConfigurationException("--target_container is required (the Swift container to mirror into)");
        }
        if (options.embeddedS3 != null || options.endpoint != null) {
            throw new MirrorApplication.ConfigurationException("--embedded-s3 and --endpoint are for --actor=s3");
        }
        URI uri;
        try {
            uri = URI.create(authUrl);
        } catch (IllegalArgumentException e) {
            throw new MirrorApplication.ConfigurationException("invalid --swift_auth_url: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new MirrorApplication.ConfigurationException("invalid --swift_auth_url '" + authUrl + "': need http(s)://host[:port]/path");
        }
        String project = first(options.swiftProject, env.get("OS_PROJECT_NAME"));
        String domain = first(options.swiftDomain, env.get("OS_USER_DOMAIN_NAME"), SwiftSettings.DEFAULT_DOMAIN);
        if (SwiftSettings.keystone(uri) && project == null) {
            throw new MirrorApplication.ConfigurationException(
                    "a Keystone v3 --swift_auth_url (ending in /v3) needs --swift_project (or $OS_PROJECT_NAME)");
        }
        if (!SwiftSettings.keystone(uri) && (options.swiftProject != null || options.swiftDomain != null)) {
            throw new MirrorApplication.ConfigurationException(
                    "--swift_project and --swift_domain are for a Keystone v3 --swift_auth_url (ending in /v3)");
        }
        try {
            SwiftSettings settings = SwiftSettings.keystone(uri)
                    ? SwiftSettings.keystone(uri, user, key, project, domain, options.targetContainer)
                    : SwiftSettings.of(uri, user, key, options.targetContainer);
            return settings.withCreateContainerIfMissing(!options.dryRun);
        } catch (IllegalArgumentException e) {
            throw new MirrorApplication.ConfigurationException(e.getMessage());
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
