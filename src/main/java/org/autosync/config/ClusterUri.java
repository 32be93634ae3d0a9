package org.autosync.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the nodes of a highly available job agree on one leader (the {@code cluster} parameter, {@code --cluster}):
 * <ul>
 *   <li>{@code file:DIR[?acquireLockInterval=2s]}: a lock file per job in a directory
 *       every node shares (camel-file's {@code FileLockClusterService});</li>
 *   <li>{@code zookeeper:HOST:PORT[,HOST:PORT...][/PATH][?sessionTimeout=10s&connectionTimeout=5s]}: Apache
 *       ZooKeeper (camel-zookeeper's {@code ZooKeeperClusterService}), base path {@value #DEFAULT_ZK_PATH} unless
 *       given;</li>
 *   <li>{@code context}: the {@code CamelClusterService} the runtime already has (an integrator's).</li>
 * </ul>
 * When the runtime has a cluster service already, every kind uses it. The defaults put a takeover within about
 * 10 to 15 s of a leader's death (see docs/high-availability.md).
 *
 * @param kind          which service
 * @param root          {@link Kind#FILE}: the shared directory
 * @param nodes         {@link Kind#ZOOKEEPER}: {@code host:port,host:port}
 * @param path          {@link Kind#ZOOKEEPER}: the base znode path
 * @param lockInterval  {@link Kind#FILE}: how often the leader writes its heartbeat and the others look
 * @param sessionTimeout {@link Kind#ZOOKEEPER}: the ZooKeeper session timeout (the server bounds it to 2 to 20 ticks)
 * @param connectionTimeout {@link Kind#ZOOKEEPER}: how long a connection attempt waits
 */
public record ClusterUri(Kind kind, Path root, String nodes, String path, Duration lockInterval,
                         Duration sessionTimeout, Duration connectionTimeout) {

    public enum Kind { FILE, ZOOKEEPER, CONTEXT }

    public static final String DEFAULT_ZK_PATH = "/autosync";
    public static final Duration DEFAULT_LOCK_INTERVAL = Duration.ofSeconds(2);
    /**
     * Missed heartbeats after which camel-file (4.15 and later) counts a leader as dead: its default, which
     * Autosync leaves alone (Camel 4.14, the lowest the bundle supports, has no such setting).
     */
    public static final int HEARTBEAT_MULTIPLIER = 5;
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}");
    private static final Pattern ZK_PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");
    private static final String FORMS = "use file:DIR, zookeeper:HOST:PORT[,HOST:PORT...][/PATH] or context";

    /** The namespace (lock file, znode) of one job: {@code autosync-<jobId>}. */
    public static String namespace(String jobId) {
        return "autosync-" + jobId;
    }

    /**
     * @param pwd the shell's {@code $PWD}, for a relative {@code file:} directory (may be null)
     * @throws IllegalArgumentException saying what is wrong and what the forms are
     */
    public static ClusterUri parse(String text, String pwd) {
        String value = text == null ? "" : text.trim();
        int q = value.indexOf('?');
        String base = q < 0 ? value : value.substring(0, q);
        Map<String, String> query = query(value, q < 0 ? "" : value.substring(q + 1));
        if (base.equals("context")) {
            options(value, query, List.of());
            return new ClusterUri(Kind.CONTEXT, null, null, null, null, null, null);
        }
        if (base.startsWith("file:")) {
            options(value, query, List.of("acquireLockInterval"));
            String dir = base.substring("file:".length());
            if (dir.startsWith("//")) {
                dir = dir.substring(2);
            }
            if (dir.isBlank()) {
                throw new IllegalArgumentException("'" + value + "' names no directory; " + FORMS);
            }
            Path root = Path.of(dir);
            if (!root.isAbsolute()) {
                root = (pwd == null ? Path.of("").toAbsolutePath() : Path.of(pwd)).resolve(root);
            }
            Duration interval = duration(value, query, "acquireLockInterval", DEFAULT_LOCK_INTERVAL);
            return new ClusterUri(Kind.FILE, root.normalize(), null, null, interval, null, null);
        }
        if (base.startsWith("zookeeper:")) {
            options(value, query, List.of("sessionTimeout", "connectionTimeout"));
            String rest = base.substring("zookeeper:".length());
            if (rest.startsWith("//")) {
                rest = rest.substring(2);
            }
            int slash = rest.indexOf('/');
            String nodes = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? DEFAULT_ZK_PATH : rest.substring(slash);
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("'" + value + "' names no ZooKeeper server; " + FORMS);
            }
            for (String node : nodes.split(",", -1)) {
                if (!HOST_PORT.matcher(node).matches()) {
                    throw new IllegalArgumentException("'" + value + "': '" + node + "' is not HOST:PORT; " + FORMS);
                }
            }
            if (!ZK_PATH.matcher(path).matches()) {
                throw new IllegalArgumentException("'" + value + "': '" + path + "' is not a ZooKeeper path like /autosync");
            }
            Duration session = duration(value, query, "sessionTimeout", DEFAULT_SESSION_TIMEOUT);
            Duration connection = duration(value, query, "connectionTimeout", DEFAULT_CONNECTION_TIMEOUT);
            return new ClusterUri(Kind.ZOOKEEPER, null, nodes, path, null, session, connection);
        }
        throw new IllegalArgumentException("'" + value + "' is not a cluster URI; " + FORMS);
    }

    private static Map<String, String> query(String value, String query) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + value + "': '" + pair + "' is not NAME=VALUE");
            }
            options.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return options;
    }

    private static void options(String value, Map<String, String> query, List<String> known) {
        for (String name : query.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("'" + value + "': unknown option '" + name + "'"
                        + (known.isEmpty() ? "" : " (known: " + String.join(", ", known) + ")"));
            }
        }
    }

    private static Duration duration(String value, Map<String, String> query, String name, Duration otherwise) {
        if (!query.containsKey(name)) {
            return otherwise;
        }
        Duration d;
        try {
            d = Values.duration(query.get(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "': " + name + ": " + e.getMessage());
        }
        if (d.toMillis() < 100) {
            throw new IllegalArgumentException("'" + value + "': " + name + " must be at least 100ms");
        }
        return d;
    }

    /** How long a leader's death goes unnoticed at most (before the election itself). */
    public Duration leaderTimeout() {
        return switch (kind) {
            case FILE -> lockInterval.multipliedBy(HEARTBEAT_MULTIPLIER);
            case ZOOKEEPER -> sessionTimeout;
            case CONTEXT -> DEFAULT_SESSION_TIMEOUT; // unknown: the usual order of magnitude
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case FILE -> "file:" + root + "?acquireLockInterval=" + lockInterval.toMillis() + "ms";
            case ZOOKEEPER -> "zookeeper:" + nodes + path + "?sessionTimeout=" + sessionTimeout.toMillis()
                    + "ms&connectionTimeout=" + connectionTimeout.toMillis() + "ms";
            case CONTEXT -> "context";
        };
    }
}
