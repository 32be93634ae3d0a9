package org.autosync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

/**
 * docker-compose.yml cannot be run here (no Docker engine): its syntax is checked by {@code docker-compose config},
 * and the autosync service's command by Autosync's own option parser, since the compose validator accepts any flag.
 */
class DockerComposeTest {

    private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
    /** The high-availability variant: two nodes, one leader elected in ZooKeeper. */
    private static final Path HA_COMPOSE_FILE = Path.of("docker-compose.ha.yml");

    @Test
    void theAutosyncServiceCommandIsAValidAutosyncCommandLine() throws IOException {
        Map<String, Object> autosync = service("autosync");
        @SuppressWarnings("unchecked")
        List<String> command = (List<String>) autosync.get("command");
        AutosyncCommand options = new AutosyncCommand();

        new CommandLine(options).parseArgs(command.toArray(String[]::new));

        assertThat(options.sources).containsExactly("/data");
        assertThat(options.targets).containsExactly("s3://autosync/data?endpoint=http://localstack:4566",
                "swift://autosync/data");
        assertThat(options.sourcePrefix).isEqualTo("/data");
        assertThat(options.stateDir).isEqualTo(Path.of("/var/lib/autosync"));
        assertThat(options.httpPort).isEqualTo(9090);
        assertThat(options.httpHost).isEqualTo("0.0.0.0");
        assertThat(autosync.get("ports")).asList().contains(options.httpPort + ":" + options.httpPort);
        assertThat(autosync.get("entrypoint")).asList().containsExactly("java", "-jar", "/opt/autosync/autosync.jar");
    }

    @Test
    void bothNodesOfTheHighAvailabilityVariantMirrorTheSameSourceAndTargetWithOneClusterAndStatesOfTheirOwn()
            throws IOException {
        AutosyncCommand a = new AutosyncCommand();
        AutosyncCommand b = new AutosyncCommand();
        Map<String, Object> nodeA = service(HA_COMPOSE_FILE, "autosync-a");
        Map<String, Object> nodeB = service(HA_COMPOSE_FILE, "autosync-b");

        new CommandLine(a).parseArgs(command(nodeA));
        new CommandLine(b).parseArgs(command(nodeB));

        assertThat(a.cluster).isEqualTo("zookeeper:zookeeper:2181/autosync").isEqualTo(b.cluster);
        assertThat(org.autosync.config.ClusterUri.parse(a.cluster, null).nodes()).isEqualTo("zookeeper:2181");
        assertThat(a.once).isFalse();
        assertThat(a.sources).containsExactly("/data").isEqualTo(b.sources);
        assertThat(a.targets).containsExactly("s3://autosync/data?endpoint=http://localstack:4566").isEqualTo(b.targets);
        assertThat(nodeA.get("volumes")).asList().contains("./data:/data:ro", "autosync-a-state:/var/lib/autosync");
        assertThat(nodeB.get("volumes")).asList().contains("./data:/data:ro", "autosync-b-state:/var/lib/autosync");
    }

    @SuppressWarnings("unchecked")
    private static String[] command(Map<String, Object> service) {
        return ((List<String>) service.get("command")).toArray(String[]::new);
    }

    @Test
    void dockerComposeAcceptsTheFiles() throws IOException, InterruptedException {
        boolean installed = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "docker-compose")));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(installed).as("docker-compose is installed (.ci/run installs it)").isTrue();
        }
        assumeTrue(installed, "docker-compose is not installed");

        for (Path file : List.of(COMPOSE_FILE, HA_COMPOSE_FILE)) {
            Process config = new ProcessBuilder("docker-compose", "-f", file.toString(), "config", "-q")
                    .redirectErrorStream(true).start();
            String output = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(config.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(config.exitValue()).as(file + ": " + output).isZero();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        return service(COMPOSE_FILE, name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(Path file, String name) throws IOException {
        Object compose = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        Map<String, Object> services = (Map<String, Object>) ((Map<String, Object>) compose).get("services");
        assertThat(services).containsKey(name);
        return (Map<String, Object>) services.get(name);
    }
}
