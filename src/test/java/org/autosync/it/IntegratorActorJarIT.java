package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar with an integrator actor from another classpath entry, as an integrator runs it:
 * {@code java -cp target/autosync.jar:target/test-classes org.autosync.cli.Autosync --actor=CLASS ...}.
 */
class IntegratorActorJarIT {

    private static final String TEST_CLASSES = Path.of("target", "test-classes").toAbsolutePath().toString();
    private static final String ACTOR = "--actor=org.autosync.examples.LocalDirectoryActor";

    @TempDir
    Path work;

    @Test
    void exampleActorMirrorsFromAnApplicationPropertiesInTheCurrentDirectory() throws Exception {
        Path src = Files.createDirectories(work.resolve("src/dir"));
        Files.writeString(src.resolve("a.txt"), "alpha");
        Files.writeString(work.resolve("src/caf\u00e9 b.txt"), "bravo");
        Files.writeString(work.resolve("application.properties"), "camel.beans.actor.root=" + work.resolve("copy") + "\n");

        JarProcess.Result r = new JarProcess().in(work).classpath(TEST_CLASSES)
                .run("--once", ACTOR, "--state_dir=" + work.resolve("state"), "--source_prefix=" + work + "/src", "src");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("uploaded 2 files / 10 bytes, deleted 0");
        assertThat(Files.readString(work.resolve("copy/dir/a.txt"))).isEqualTo("alpha");
        assertThat(Files.readString(work.resolve("copy/caf\u00e9 b.txt"))).isEqualTo("bravo");

        Files.delete(src.resolve("a.txt"));
        JarProcess.Result again = new JarProcess().in(work).classpath(TEST_CLASSES)
                .run("--once", ACTOR, "--actor_option", "root=" + work.resolve("copy"),
                        "--state_dir=" + work.resolve("state"), "--source_prefix=" + work + "/src", "src");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stdout()).contains("uploaded 0 files / 0 bytes, deleted 1, unchanged 1");
        assertThat(work.resolve("copy/dir")).doesNotExist();
    }

    @Test
    void withoutTheActorOnTheClasspathItIsExitTwo() throws Exception {
        Files.createDirectories(work.resolve("src"));
        JarProcess.Result r = new JarProcess().in(work)
                .run("--once", ACTOR, "--actor_option", "root=" + work.resolve("copy"), "src");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("no such class on the classpath", "java -jar ignores -cp");
    }
}
