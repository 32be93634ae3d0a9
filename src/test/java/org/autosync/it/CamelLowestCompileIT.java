package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The bundle imports Camel as [4.14,5): its code must compile against the lowest Camel of that range. Runs this
 * Maven again with the profile camel-lowest (Camel 4.14.0 with the AWS SDK it brings, and the Jackson that
 * camel-karaf 4.14's jackson feature provides), compiling every class of the bundle into target/camel-lowest.
 */
class CamelLowestCompileIT {

    private static final Path OUT = Path.of("target", "camel-lowest").toAbsolutePath();

    @Test
    void theBundleCompilesAgainstCamel4140() throws Exception {
        String mavenHome = System.getProperty("autosync.mavenHome");
        String mvn = mavenHome != null ? Path.of(mavenHome, "bin", "mvn").toString() : "mvn";
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q", "-Pcamel-lowest", "-DskipTests",
                "-Dmaven.repo.local=" + System.getProperty("autosync.localRepository"),
                "clean", "compile", "dependency:list", "-DincludeScope=compile", "-DoutputFile=" + OUT.resolve("dependencies.txt")));
        if ("offline=true".equals(System.getProperty("autosync.mavenOffline"))) {
            command.add(1, "-o");
        }
        Files.createDirectories(OUT.getParent());
        File log = OUT.getParent().resolve("camel-lowest.log").toFile();
        Process maven = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        if (!maven.waitFor(10, TimeUnit.MINUTES)) {
            maven.destroyForcibly();
            throw new IllegalStateException("mvn -Pcamel-lowest compile did not finish within 10 minutes; see " + log);
        }

        assertThat(maven.exitValue()).as("mvn -Pcamel-lowest compile, see %s:%n%s", log, Files.readString(log.toPath()))
                .isZero();
        assertThat(Files.readString(OUT.resolve("dependencies.txt")))
                .contains("org.apache.camel:camel-api:jar:4.14.0:compile",
                        "org.apache.camel:camel-core-model:jar:4.14.0:compile",
                        "software.amazon.awssdk:s3:jar:2.32.23:compile",
                        "com.fasterxml.jackson.core:jackson-databind:jar:2.19.4:compile")
                .doesNotContain("org.apache.camel:camel-api:jar:4.18");
        try (var sources = Files.walk(Path.of("src/main/java"))) {
            List<String> classes = sources.filter(p -> p.toString().endsWith(".java"))
                    .map(p -> Path.of("src/main/java").relativize(p).toString().replace(".java", ".class")).toList();
            assertThat(classes).isNotEmpty().allSatisfy(c -> assertThat(OUT.resolve("classes").resolve(c)).exists());
        }
    }
}
