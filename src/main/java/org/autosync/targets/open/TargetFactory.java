package org.autosync.targets.open;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.spi.BeanRepository;
import org.autosync.targets.Actor;
import org.autosync.targets.TargetUri;
import org.autosync.targets.s3.S3Actor;
import org.autosync.targets.s3.S3ActorSettings;
import org.autosync.targets.s3.S3ClientSettings;
import org.autosync.targets.swift.SwiftActor;
import org.autosync.targets.swift.SwiftSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Turns a {@link TargetUri} into the settings of its actor, and opens that actor: the one way the command line's
 * {@code --target} and a job template's {@code target} parameter reach S3 and Swift. What the URI leaves out comes
 * from the runtime's defaults (the command line's {@code --endpoint}, {@code --swift_*} options, the embedded S3
 * server) and then from the environment.
 *
 * <p><b>An integrator's own S3 client.</b> An {@code s3://} target with no query parameters of its own (no
 * {@code endpoint}, {@code region}, {@code profile} or {@code access_key_env}/{@code secret_key_env}) is served by
 * the {@code S3Client} of the {@link S3Defaults}, when they carry one: {@link #withRegistryClient} puts there the
 * Camel registry's {@code software.amazon.awssdk.services.s3.S3Client} bean when the registry holds exactly one,
 * as Camel's own components autowire a single client (with two or more, none is picked). The actor borrows that
 * client: closing it (when its job stops) leaves the client open for its owner. A target with parameters of its
 * own gets a client of its own.
 */
public final class TargetFactory {

    private static final Logger LOG = LoggerFactory.getLogger(TargetFactory.class);

    private TargetFactory() {
    }

    /**
     * How {@code s3://} targets without their own {@code endpoint} are reached: any part may be null (AWS, the SDK's
     * region chain, the SDK's credential chain).
     *
     * @param identity names this service in sync-state file names when its endpoint does not (the embedded server,
     *                 whose port changes from run to run); null to use the endpoint
     * @param client   a client someone else owns that serves such targets instead of the other parts; null for none
     */
    public record S3Defaults(URI endpoint, String region, AwsCredentialsProvider credentials, String identity,
                             S3Client client) {
        public static final S3Defaults AWS = new S3Defaults(null, null, null, null);

        public S3Defaults(URI endpoint, String region, AwsCredentialsProvider credentials, String identity) {
            this(endpoint, region, credentials, identity, null);
        }

        @Override
        public String toString() {
            return "S3Defaults[endpoint=" + endpoint + ", region=" + region + ", credentials="
                    + (credentials == null ? "default chain" : "given") + ", identity=" + identity
                    + (client == null ? "" : ", client=given") + "]";
        }
    }

    /** A Swift login; any part may be null, to be taken from the URI or the environment. The key is never printed. */
    public record SwiftLogin(String authUrl, String user, String key, String project, String domain) {
        public static final SwiftLogin NONE = new SwiftLogin(null, null, null, null, null);

        /** python-swiftclient's variables: {@code ST_AUTH}, {@code ST_USER}, {@code SWIFT_KEY} or {@code ST_KEY}, and Keystone's. */
        public static SwiftLogin fromEnvironment(Map<String, String> env) {
            return new SwiftLogin(env.get("ST_AUTH"), env.get("ST_USER"), first(env.get("SWIFT_KEY"), env.get("ST_KEY")),
                    env.get("OS_PROJECT_NAME"), env.get("OS_USER_DOMAIN_NAME"));
        }

        /** Each part of this login, else the same part of {@code other}. */
        public SwiftLogin orElse(SwiftLogin other) {
            return new SwiftLogin(first(authUrl, other.authUrl), first(user, other.user), first(key, other.key),
                    first(project, other.project), first(domain, other.domain));
        }

        @Override
        public String toString() {
            return "SwiftLogin[authUrl=" + authUrl + ", user=" + user + ", key=***, project=" + project + ", domain=" + domain + "]";
        }
    }

    /**
     * {@code defaults} with the registry's {@code S3Client} when {@code uri} is an {@code s3://} target without
     * parameters and the registry holds exactly one such bean; else {@code defaults} as they are. The registry is
     * not asked for other targets, so Swift jobs run without the AWS SDK.
     */
    public static S3Defaults withRegistryClient(TargetUri uri, S3Defaults defaults, BeanRepository registry) {
        if (uri == null || !uri.isS3() || !uri.params().isEmpty()) {
            return defaults;
        }
        Map<String, S3Client> clients = registry.findByTypeWithName(S3Client.class);
        if (clients.size() != 1) {
            return defaults;
        }
        Map.Entry<String, S3Client> only = clients.entrySet().iterator().next();
        LOG.info("{} uses the S3Client bean '{}' of the registry", uri.label(), only.getKey());
        return new S3Defaults(defaults.endpoint(), defaults.region(), defaults.credentials(), defaults.identity(),
                only.getValue());
    }

    /** The client settings of an {@code s3://} target: its own endpoint, region and credentials, else the defaults. */
    public static S3ClientSettings s3ClientSettings(TargetUri uri, S3Defaults defaults, Map<String, String> env,
                                                    int parallelism) {
        requireScheme(uri, "s3");
        String endpoint = uri.params().get("endpoint");
        String region = uri.params().getOrDefault("region", defaults.region());
        AwsCredentialsProvider credentials = S3ClientSettings.credentials(uri.params(), env);
        if (credentials == null && endpoint == null) {
            credentials = defaults.credentials();
        }
        URI endpointUri = endpoint != null ? URI.create(endpoint) : defaults.endpoint();
        return new S3ClientSettings(endpointUri, region, credentials, parallelism);
    }

    /**
     * The settings of a {@code swift://} target: the URI's login parameters ({@code key_env} names the variable
     * holding the key), else {@code defaults}, else python-swiftclient's environment variables. Keystone v3 is
     * used when the auth URL ends in {@code /v3}.
     */
    public static SwiftSettings swiftSettings(TargetUri uri, SwiftLogin defaults, Map<String, String> env, boolean dryRun) {
        requireScheme(uri, "swift");
        Map<String, String> p = uri.params();
        String keyVar = p.get("key_env");
        if (keyVar != null && (env.get(keyVar) == null || env.get(keyVar).isBlank())) {
            throw new IllegalArgumentException("environment variable " + keyVar + " is not set");
        }
        SwiftLogin login = new SwiftLogin(p.get("auth_url"), p.get("user"), keyVar == null ? null : env.get(keyVar),
                p.get("project"), p.get("domain")).orElse(defaults).orElse(SwiftLogin.fromEnvironment(env));
        if (login.authUrl() == null) {
            throw new IllegalArgumentException("Swift needs --swift_auth_url (or auth_url= in a swift:// target, or $ST_AUTH)");
        }
        if (login.user() == null) {
            throw new IllegalArgumentException("Swift needs --swift_user (or user= in a swift:// target, or $ST_USER)");
        }
        if (login.key() == null) {
            throw new IllegalArgumentException("Swift needs a key: $SWIFT_KEY, $ST_KEY, --swift_key, or key_env=VAR in a swift:// target");
        }
        URI authUrl;
        try {
            authUrl = URI.create(login.authUrl());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid Swift auth URL: " + e.getMessage());
        }
        if (!"http".equals(authUrl.getScheme()) && !"https".equals(authUrl.getScheme()) || authUrl.getHost() == null) {
            throw new IllegalArgumentException("invalid Swift auth URL '" + login.authUrl() + "': need http(s)://host[:port]/path");
        }
        boolean keystone = SwiftSettings.keystone(authUrl);
        if (keystone && login.project() == null) {
            throw new IllegalArgumentException("a Keystone v3 Swift auth URL (ending in /v3) needs --swift_project "
                    + "(or project= in a swift:// target, or $OS_PROJECT_NAME)");
        }
        SwiftSettings settings = keystone
                ? SwiftSettings.keystone(authUrl, login.user(), login.key(), login.project(),
                        first(login.domain(), SwiftSettings.DEFAULT_DOMAIN), uri.container())
                : SwiftSettings.of(authUrl, login.user(), login.key(), uri.container());
        return settings.withCreateContainerIfMissing(!dryRun);
    }

    /**
     * Opens the actor of {@code uri}: closing it releases everything it opened, which is all but the client of
     * {@link S3Defaults#client()} when it serves the target. Nothing is sent yet; a wrong endpoint or credential
     * shows at the first listing.
     */
    public static Actor open(TargetUri uri, S3Defaults s3Defaults, SwiftLogin swiftDefaults, Map<String, String> env,
                             S3ActorSettings s3Settings, int parallelism, boolean dryRun) {
        Optional<S3Client> given = givenClient(uri, s3Defaults);
        if (given.isPresent()) {
            return new S3Actor(given.get(), uri.container(), s3Settings);
        }
        if (uri.isS3()) {
            return S3Actor.create(s3ClientSettings(uri, s3Defaults, env, parallelism)
                    .withPartConcurrency(s3Settings.partConcurrency()), uri.container(), s3Settings);
        }
        return new SwiftActor(swiftSettings(uri, swiftDefaults, env, dryRun));
    }

    /**
     * Names the target's service (not its bucket) in sync-state file names: the S3 endpoint (or AWS and the
     * region), or the Swift auth URL and user. Never a secret.
     */
    public static String identity(TargetUri uri, S3Defaults s3Defaults, SwiftLogin swiftDefaults, Map<String, String> env) {
        if (!uri.isS3()) {
            return identity(swiftSettings(uri, swiftDefaults, env, true));
        }
        Optional<S3Client> given = givenClient(uri, s3Defaults);
        if (given.isPresent()) {
            Optional<URI> endpoint = given.get().serviceClientConfiguration().endpointOverride();
            Region region = given.get().serviceClientConfiguration().region();
            return endpoint.map(URI::toString).orElse("aws:" + (region == null ? null : region.id()));
        }
        String endpoint = uri.params().get("endpoint");
        if (endpoint == null && s3Defaults.identity() != null) {
            return s3Defaults.identity();
        }
        if (endpoint == null && s3Defaults.endpoint() != null) {
            endpoint = s3Defaults.endpoint().toString();
        }
        return endpoint != null ? endpoint : "aws:" + uri.params().getOrDefault("region", s3Defaults.region());
    }

    public static String identity(SwiftSettings swift) {
        return "swift:" + swift.authUrl() + "\n" + swift.user();
    }

    /** The client of the defaults when it serves {@code uri}: an {@code s3://} target without parameters. */
    private static Optional<S3Client> givenClient(TargetUri uri, S3Defaults s3Defaults) {
        return uri.isS3() && uri.params().isEmpty() ? Optional.ofNullable(s3Defaults.client()) : Optional.empty();
    }

    private static void requireScheme(TargetUri uri, String scheme) {
        if (!scheme.equals(uri.scheme())) {
            throw new IllegalArgumentException(uri.label() + " is not a " + scheme + ":// target");
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
