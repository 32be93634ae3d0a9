package org.autosync.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: a real standalone Apache ZooKeeper 3.8 (Debian's {@code zookeeper} package) on 127.0.0.1,
 * started once per test JVM by {@code .ci/zookeeper/zk.sh start target/zookeeper} (the package is installed on
 * first use when running as root) with its own data directory and a free port, and stopped by its recorded PID when
 * the test plan ends (root-store resource; a JVM shutdown hook as a fallback).
 *
 * <p>When it cannot start (not installed and not root), {@link #connectString()} aborts the calling test with the
 * reason (a skip), except under {@code CI=true}, where it fails: CI must not go green by skipping ZooKeeper.
 */
public final class ZooKeeperServer implements BeforeAllCallback {

    private static final Object LOCK = new Object();
    private static String connect;
    private static String unavailable;
    private static boolean stopRegistered;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (LOCK) {
            if (connect == null && unavailable == null) {
                start();
            }
            if (connect != null && !stopRegistered) {
                stopRegistered = true;
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(ZooKeeperServer.class.getName(), new OnClose(ZooKeeperServer::stop));
            }
        }
    }

    /** {@code 127.0.0.1:PORT} of the running server; aborts (skips) the calling test when there is none. */
    public static String connectString() {
        synchronized (LOCK) {
            if (connect == null && unavailable == null) {
                start();
            }
            if (unavailable != null && "true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true, and ZooKeeper did not start: " + unavailable);
            }
            Assumptions.assumeTrue(connect != null, () -> "real ZooKeeper unavailable: " + unavailable);
            return connect;
        }
    }

    private static Path dir() {
        return Path.of(System.getProperty("user.dir"), "target", "zookeeper");
    }

    private static Path script() {
        return Path.of(System.getProperty("user.dir"), ".ci", "zookeeper", "zk.sh");
    }

    private static void start() {
        try {
            Files.createDirectories(dir());
            Path log = dir().resolve("zk-start.log");
            Process p = new ProcessBuilder("bash", script().toString(), "start", dir().toString())
                    .redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                unavailable = "zk.sh start did not finish in 10 minutes";
                return;
            }
            if (p.exitValue() != 0) {
                unavailable = "zk.sh start exited " + p.exitValue() + ": " + Files.readString(log).strip();
                return;
            }
            connect = out.lines().filter(l -> l.startsWith("ZK_CONNECT=")).map(l -> l.substring("ZK_CONNECT=".length()))
                    .findFirst().orElseThrow(() -> new IllegalStateException("zk.sh printed no ZK_CONNECT: " + out));
            Runtime.getRuntime().addShutdownHook(new Thread(ZooKeeperServer::stop, "zookeeper-stop"));
            System.out.println("[ZooKeeperServer] up at " + connect);
        } catch (IOException e) {
            unavailable = "cannot run zk.sh: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = "interrupted while starting ZooKeeper";
        }
    }

    /** Idempotent: the script stops only the PID it recorded. */
    static void stop() {
        synchronized (LOCK) {
            if (connect == null) {
                return;
            }
            try {
                new ProcessBuilder("bash", script().toString(), "stop", dir().toString()).redirectErrorStream(true)
                        .redirectOutput(dir().resolve("zk-stop.log").toFile()).start().waitFor(30, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                System.out.println("[ZooKeeperServer] stopping failed: " + e);
            }
            connect = null;
            unavailable = "stopped";
        }
    }

    private record OnClose(Runnable action) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            action.run();
        }
    }
}
