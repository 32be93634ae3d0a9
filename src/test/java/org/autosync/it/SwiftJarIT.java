package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.autosync.targets.swift.SwiftCluster;
import org.autosync.targets.swift.SwiftTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The built jar with {@code --actor=swift} against the real Swift (tempauth), asserted through the Swift API. */
@ExtendWith(SwiftCluster.class)
class SwiftJarIT {

    @TempDir
    Path work;

    private JarProcess.Result once(String container, String... extra) throws Exception {
        SwiftCluster.Endpoints e = SwiftCluster.endpoints();
        List<String> args = new java.util.ArrayList<>(List.of("--once", "--actor=swift",
                "--swift_auth_url=" + e.get("SWIFT_AUTH_URL"), "--swift-user=" + e.get("SWIFT_USER"),
                "--target_container=" + container, "--state_dir=" + work.resolve("state"),
                "--source_prefix=" + work + "/src"));
        args.addAll(List.of(extra));
        args.add("src");
        return new JarProcess().in(work).env("SWIFT_KEY", e.get("SWIFT_KEY")).run(args);
    }

    @Test
    void mirrorsATreeIntoSwiftThenPropagatesADelete() throws Exception {
        String container = "jarit" + System.currentTimeMillis() % 100000;
        Path src = work.resolve("src");
        Files.createDirectories(src.resolve("dir/deep"));
        Files.writeString(src.resolve("a.txt"), "alpha");
        Files.writeString(src.resolve("dir/b c.txt"), "bravo");
        Files.writeString(src.resolve("dir/deep/caf\u00e9+%.bin"), "charlie");
        Files.createFile(src.resolve("empty"));

        JarProcess.Result first = once(container);

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdout() + first.stderr()).doesNotContain("testing");
        assertThat(SwiftTestClient.names(container))
                .containsExactly("a.txt", "dir/b c.txt", "dir/deep/caf\u00e9+%.bin", "empty");
        assertThat(new String(SwiftTestClient.get(container, "dir/deep/caf\u00e9+%.bin"), StandardCharsets.UTF_8))
                .isEqualTo("charlie");
        assertThat(SwiftTestClient.request("HEAD", container, "a.txt", null).headers()
                .firstValue("X-Object-Meta-Mtime")).isPresent();

        Files.delete(src.resolve("dir/b c.txt"));
        JarProcess.Result second = once(container);

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(SwiftTestClient.names(container)).containsExactly("a.txt", "dir/deep/caf\u00e9+%.bin", "empty");
    }

    @Test
    void aWrongKeyIsExitCodeTwoWithoutTheKey() throws Exception {
        SwiftCluster.Endpoints e = SwiftCluster.endpoints();
        Files.createDirectories(work.resolve("src"));
        JarProcess.Result r = new JarProcess().in(work).env("SWIFT_KEY", null).env("ST_KEY", "not-the-key")
                .run("--once", "--actor=swift", "--swift_auth_url=" + e.get("SWIFT_AUTH_URL"),
                        "--swift_user=" + e.get("SWIFT_USER"), "--target_container=wrongkey",
                        "--state_dir=" + work.resolve("state"), "src");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("Swift rejected the credentials").doesNotContain("not-the-key");
    }

    @Test
    void helpListsTheSwiftOptionsWithoutAKeyDefault() throws Exception {
        JarProcess.Result r = new JarProcess().in(work).env("SWIFT_KEY", "secret-from-env").run("--help");

        assertThat(r.stdout()).contains("--swift_auth_url", "--swift_user", "--swift_key")
                .doesNotContain("secret-from-env");
    }
}
