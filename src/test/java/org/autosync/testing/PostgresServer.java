package org.autosync.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: a real PostgreSQL 15 (Debian's packages, installed on first use when missing) on 127.0.0.1,
 * a private cluster made by {@code .ci/postgres/pg.sh start target/postgres/NAME} and stopped by its recorded PID.
 * {@link #shared()} is started once per test JVM and removed when the test plan ends; {@link #own} is a cluster of
 * the test class's own (for tests that stop and start it), removed after the class; a JVM shutdown hook removes
 * either if the JVM ends first.
 *
 * <p>Without the binaries and not root (nothing to install them with), or when the start fails, the calling
 * test is aborted with the reason (a skip), except under {@code CI=true} as root: CI must not go green by skipping.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

    private static final Object LOCK = new Object();
    private static PostgresServer shared;

    private final String name;
    private final boolean perClass;
    private Map<String, String> endpoints;
    private String unavailable;
    private boolean hooked;

    private PostgresServer(String name, boolean perClass) {
        this.name = name;
        this.perClass = perClass;
    }

    /** The cluster shared by every test class of the JVM. */
    public static PostgresServer shared() {
        synchronized (LOCK) {
            if (shared == null) {
                shared = new PostgresServer("shared", false);
            }
            return shared;
        }
    }

    /** A cluster of the test class's own, under {@code target/postgres/NAME}, removed after the class. */
    public static PostgresServer own(String name) {
        return new PostgresServer(name, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (LOCK) {
            if (endpoints == null) {
                start();
                if (endpoints != null && !perClass) {
                    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                            .put(PostgresServer.class.getName(), new OnClose(this::destroy));
                }
                if (endpoints != null && !hooked) {
                    hooked = true; // a fallback for a JVM that ends without the test plan ending (destroy is idempotent)
                    Runtime.getRuntime().addShutdownHook(new Thread(this::destroy, "postgres-" + name + "-stop"));
                }
            }
            if (unavailable != null && mustNotSkip()) {
                throw new IllegalStateException("CI=true as root, and PostgreSQL did not start: " + unavailable);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            destroy();
        }
    }

    /** The JDBC URL with the user and without the password. Aborts (skips) the calling test when there is no server. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + value("PG_PORT") + "/" + value("PG_DATABASE") + "?user=" + value("PG_USER");
    }

    /** The JDBC URL with the password in it, as a user may give it to {@code --state_url}. */
    public String jdbcUrlWithPassword() {
        return jdbcUrl() + "&password=" + password();
    }

    public String password() {
        return value("PG_PASSWORD");
    }

    public int port() {
        return Integer.parseInt(value("PG_PORT"));
    }

    /** A connection of the test's own, to look at or change what the states wrote. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), value("PG_USER"), password());
    }

    /** Starts the server again after {@link #stop()}, with the same data, on the same port. */
    public void start() {
        synchronized (LOCK) {
            String out = run("start", 15);
            if (out != null) {
                endpoints = parse(out);
                unavailable = null;
            }
        }
    }

    /** Stops the server by its recorded PID (fast shutdown: clients are disconnected); its data stays. */
    public void stop() {
        synchronized (LOCK) {
            run("stop", 1);
        }
    }

    private void destroy() {
        synchronized (LOCK) {
            if (endpoints != null) {
                run("destroy", 1);
                endpoints = null;
            }
        }
    }

    private String value(String key) {
        synchronized (LOCK) {
            if (unavailable != null && mustNotSkip()) {
                throw new IllegalStateException("CI=true as root, and PostgreSQL did not start: " + unavailable);
            }
            Assumptions.assumeTrue(endpoints != null, () -> "real PostgreSQL unavailable: " + unavailable);
            return endpoints.get(key);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean mustNotSkip() {
        return isRoot() && "true".equals(System.getenv("CI"));
    }

    /** Runs {@code pg.sh CMD DIR}; its stdout, or null with {@link #unavailable} set. */
    private String run(String cmd, int minutes) {
        Path script = Path.of(System.getProperty("user.dir"), ".ci", "postgres", "pg.sh");
        Path dir = Path.of(System.getProperty("user.dir"), "target", "postgres", name);
        if (!Files.isRegularFile(script)) {
            unavailable = "no " + script;
            return null;
        }
        if (!isRoot() && !Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/postgres"))) {
            unavailable = "no /usr/lib/postgresql/15/bin/postgres and not root to install it";
            return null;
        }
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve("pg-" + cmd + ".log");
            Process p = new ProcessBuilder("bash", script.toString(), cmd, dir.toString())
                    .redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                unavailable = "pg.sh " + cmd + " did not finish in " + minutes + " minutes";
                return null;
            }
            if (p.exitValue() != 0) {
                unavailable = "pg.sh " + cmd + " exited " + p.exitValue() + ": " + Files.readString(log);
                return null;
            }
            return out;
        } catch (IOException e) {
            unavailable = "cannot run pg.sh: " + e.getMessage();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = "interrupted while running pg.sh " + cmd;
            return null;
        }
    }

    private static Map<String, String> parse(String out) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.startsWith("PG_")) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    /** Run once at the end of the test plan (AutoCloseable for JUnit 5.13+, CloseableResource for older). */
    private record OnClose(Runnable action) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            action.run();
        }
    }
}
