package org.autosync.targets.swift;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: a real one-node OpenStack Swift on 127.0.0.1, started once per test JVM by
 * {@code .ci/swift/swift-aio.sh start target/swift-aio} (Debian packages are installed on first use, about
 * 30 s; start-up about 6 s) and stopped when the test plan ends (root-store {@code CloseableResource}; a JVM
 * shutdown hook as a fallback).
 *
 * <p>Keystone v3 and a second proxy in front of the same servers are added on demand by {@link #keystoneEndpoints()}.
 *
 * <p>Needs root (apt-get, loop mount). Otherwise, or when the start fails, {@link #endpoints()} aborts the
 * calling test with the reason (a skip) — except under {@code CI=true} as root, where a failed start fails
 * the tests: CI must not go green by skipping Swift.
 */
public final class SwiftCluster implements BeforeAllCallback {

    /** What the script printed: {@code SWIFT_AUTH_URL}, {@code SWIFT_USER}, {@code SWIFT_KEY}, {@code S3_ENDPOINT}, … */
    public record Endpoints(Map<String, String> values) {
        public String get(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new IllegalStateException("swift-aio.sh printed no " + key);
            }
            return v;
        }

        public java.net.URI authUrl() {
            return java.net.URI.create(get("SWIFT_AUTH_URL"));
        }

        /** Keystone v3 endpoint, only after {@link SwiftCluster#keystoneEndpoints()}. */
        public java.net.URI keystoneUrl() {
            return java.net.URI.create(get("KEYSTONE_URL"));
        }

        public long maxFileSize() {
            return Long.parseLong(get("SWIFT_MAX_FILE_SIZE"));
        }
    }

    private static final Object LOCK = new Object();
    private static Endpoints endpoints;
    private static String unavailable;
    private static boolean stopRegistered;
    private static String keystoneUnavailable;
    private static boolean keystoneStarted;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (LOCK) {
            if (endpoints == null && unavailable == null) {
                start();
            }
            if (endpoints != null && !stopRegistered) {
                stopRegistered = true;
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(SwiftCluster.class.getName(), new OnClose(SwiftCluster::stop));
            }
            if (unavailable != null && mustNotSkip()) {
                throw new IllegalStateException("CI=true as root, and Swift did not start: " + unavailable);
            }
        }
    }

    /** The running cluster's endpoints; aborts (skips) the calling test when there is none. */
    public static Endpoints endpoints() {
        synchronized (LOCK) {
            if (endpoints == null && unavailable == null) {
                start();
            }
            if (unavailable != null && mustNotSkip()) {
                throw new IllegalStateException("CI=true as root, and Swift did not start: " + unavailable);
            }
            Assumptions.assumeTrue(endpoints != null, () -> "real Swift unavailable: " + unavailable);
            return endpoints;
        }
    }

    /**
     * The running cluster with Keystone v3 added ({@code swift-aio.sh keystone}, once per JVM, about 20-50 s): the
     * {@code KEYSTONE_*} values besides the v1 ones. Aborts (skips) the calling test when there is none, except under
     * {@code CI=true} as root.
     */
    public static Endpoints keystoneEndpoints() {
        synchronized (LOCK) {
            Endpoints base = endpoints();
            if (!keystoneStarted && keystoneUnavailable == null) {
                keystoneStarted = true;
                startKeystone(base);
            }
            if (keystoneUnavailable != null && mustNotSkip()) {
                throw new IllegalStateException("CI=true as root, and Keystone did not start: " + keystoneUnavailable);
            }
            Assumptions.assumeTrue(keystoneUnavailable == null, () -> "Keystone unavailable: " + keystoneUnavailable);
            return endpoints;
        }
    }

    private static void startKeystone(Endpoints base) {
        long t0 = System.nanoTime();
        try {
            Path log = dir().resolve("swift-aio-keystone.log");
            Process p = new ProcessBuilder("bash", script().toString(), "keystone", dir().toString())
                    .redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                keystoneUnavailable = "swift-aio.sh keystone did not finish in 15 minutes";
                return;
            }
            if (p.exitValue() != 0) {
                keystoneUnavailable = "swift-aio.sh keystone exited " + p.exitValue() + ": " + tail(log);
                return;
            }
            Map<String, String> values = new LinkedHashMap<>(base.values());
            values.putAll(parse(out));
            endpoints = new Endpoints(values);
            log("Keystone up in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms at "
                    + values.get("KEYSTONE_URL"));
        } catch (IOException e) {
            keystoneUnavailable = "cannot run swift-aio.sh keystone: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            keystoneUnavailable = "interrupted while starting Keystone";
        }
    }

    private static Map<String, String> parse(String out) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Z0-9_]+")) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    public static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (Throwable e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean mustNotSkip() {
        return isRoot() && "true".equals(System.getenv("CI"));
    }

    static Path dir() {
        return Path.of(System.getProperty("user.dir"), "target", "swift-aio");
    }

    private static Path script() {
        return Path.of(System.getProperty("user.dir"), ".ci", "swift", "swift-aio.sh");
    }

    private static void start() {
        if (!isRoot()) {
            unavailable = "not root (swift-aio.sh installs Debian packages and loop-mounts an XFS image); run the tests as root";
            return;
        }
        if (!Files.isRegularFile(script())) {
            unavailable = "no " + script();
            return;
        }
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dir());
            Path log = dir().resolve("swift-aio-start.log");
            Process p = new ProcessBuilder("bash", script().toString(), "start", dir().toString())
                    .redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                unavailable = "swift-aio.sh start did not finish in 15 minutes";
                return;
            }
            if (p.exitValue() != 0) {
                unavailable = "swift-aio.sh start exited " + p.exitValue() + ": " + tail(log);
                return;
            }
            Map<String, String> values = parse(out);
            endpoints = new Endpoints(values);
            Runtime.getRuntime().addShutdownHook(new Thread(SwiftCluster::stop, "swift-aio-stop"));
            log("real Swift up in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms at "
                    + values.get("SWIFT_AUTH_URL"));
        } catch (IOException e) {
            unavailable = "cannot run swift-aio.sh: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = "interrupted while starting Swift";
        }
    }

    /** Idempotent: the script stops only the PIDs it recorded, and does nothing when none are left. */
    static void stop() {
        synchronized (LOCK) {
            if (endpoints == null) {
                return;
            }
            try {
                Process p = new ProcessBuilder("bash", script().toString(), "stop", dir().toString())
                        .redirectErrorStream(true).redirectOutput(dir().resolve("swift-aio-stop.log").toFile()).start();
                p.waitFor(60, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                log("stopping Swift failed: " + e);
            }
            endpoints = null;
            unavailable = "stopped";
            keystoneUnavailable = "stopped";
        }
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void log(String line) {
        PrintStream out = System.out;
        out.println("[SwiftCluster] " + line);
    }

    /** Run once at the end of the test plan (AutoCloseable for JUnit 5.13+, CloseableResource for older). */
    private record OnClose(Runnable action) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            action.run();
        }
    }
}
