package org.autosync.cli;

import java.util.Map;

import org.autosync.targets.TargetUri;
import org.autosync.targets.open.TargetFactory;
import org.autosync.targets.swift.SwiftSettings;

/** {@code --actor=swift} and the {@code --swift_*} options, with python-swiftclient's environment variables as fallbacks. */
final class SwiftOptions {

    private SwiftOptions() {
    }

    /** The login the {@code --swift_*} options give; the parts they leave out come from the target URI or the environment. */
    static TargetFactory.SwiftLogin login(AutosyncCommand options) {
        return new TargetFactory.SwiftLogin(options.swiftAuthUrl, options.swiftUser, options.swiftKey,
                options.swiftProject, options.swiftDomain);
    }

    /** {@code --actor=swift}: the container of {@code --target_container}, the login of the options and environment. */
    static SwiftSettings settings(AutosyncCommand options, Map<String, String> env) {
        if (options.targetContainer == null) {
            throw new MirrorApplication.ConfigurationException("--target_container is required (the Swift container to mirror into)");
        }
        if (options.embeddedS3 != null || options.endpoint != null) {
            throw new MirrorApplication.ConfigurationException("--embedded-s3 and --endpoint are for --actor=s3");
        }
        TargetFactory.SwiftLogin login = login(options).orElse(TargetFactory.SwiftLogin.fromEnvironment(env));
        if (login.authUrl() != null && !SwiftSettings.keystone(java.net.URI.create(login.authUrl()))
                && (options.swiftProject != null || options.swiftDomain != null)) {
            throw new MirrorApplication.ConfigurationException(
                    "--swift_project and --swift_domain are for a Keystone v3 --swift_auth_url (ending in /v3)");
        }
        try {
            return TargetFactory.swiftSettings(TargetUri.parse("swift://" + options.targetContainer), login, env,
                    options.dryRun);
        } catch (IllegalArgumentException e) {
            throw new MirrorApplication.ConfigurationException(e.getMessage());
        }
    }
}
