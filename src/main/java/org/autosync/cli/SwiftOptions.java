package org.autosync.cli;

import java.net.URI;
import java.util.Map;

import org.autosync.targets.open.TargetFactory;
import org.autosync.targets.swift.SwiftSettings;

/** {@code --actor=swift} and the {@code --swift_*} options, with python-swiftclient's environment variables as fallbacks. */
final class SwiftOptions {

    private SwiftOptions() {
    }

    /**
     * The login the {@code --swift_*} options give (the runtime's {@value org.autosync.routes.JobTemplate#SWIFT_DEFAULTS}
     * bean); the parts they leave out come from the target URI or the environment.
     */
    static TargetFactory.SwiftLogin login(AutosyncCommand options) {
        return new TargetFactory.SwiftLogin(options.swiftAuthUrl, options.swiftUser, options.swiftKey,
                options.swiftProject, options.swiftDomain);
    }

    /** {@code --actor=swift}: the container of {@code --target_container}, once the options are known to fit together. */
    static String container(AutosyncCommand options, Map<String, String> env) {
        if (options.targetContainer == null) {
            throw new ConfigurationException("--target_container is required (the Swift container to mirror into)");
        }
        if (options.embeddedS3 != null || options.endpoint != null) {
            throw new ConfigurationException("--embedded-s3 and --endpoint are for --actor=s3");
        }
        TargetFactory.SwiftLogin login = login(options).orElse(TargetFactory.SwiftLogin.fromEnvironment(env));
        if (login.authUrl() != null && !keystone(login.authUrl())
                && (options.swiftProject != null || options.swiftDomain != null)) {
            throw new ConfigurationException("--swift_project and --swift_domain are for a Keystone v3 --swift_auth_url "
                    + "(ending in /v3)");
        }
        return options.targetContainer;
    }

    private static boolean keystone(String authUrl) {
        try {
            return SwiftSettings.keystone(URI.create(authUrl));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("invalid Swift auth URL: " + e.getMessage());
        }
    }
}
