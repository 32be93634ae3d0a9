package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autosync.targets.swift.SwiftCluster;
import org.autosync.targets.swift.SwiftTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The built jar with {@code --actor=swift} and a Keystone v3 auth URL against the real Keystone and Swift. */
@ExtendWith(SwiftCluster.class)
class SwiftKeystoneJarIT {

    @TempDir
    Path work;

    @Test
    void mirrorsATreeWithKeystoneOptionsAndEnvironment() throws Exception {
        SwiftCluster.Endpoints e = SwiftCluster.keystoneEndpoints();
        String container = "ksjarit" + System.currentTimeMillis() % 100000;
        Path src = work.resolve("src");
        Files.createDirectories(src.resolve("dir"));
        Files.writeString(src.resolve("dir/a.txt"), "alpha");

        JarProcess.Result r = new JarProcess().in(work).env("SWIFT_KEY", e.get("KEYSTONE_PASSWORD"))
                .env("OS_USER_DOMAIN_NAME", e.get("KEYSTONE_DOMAIN"))
                .run("--once", "--actor=swift", "--swift-auth-url=" + e.get("KEYSTONE_URL"),
                        "--swift_user=" + e.get("KEYSTONE_USER"), "--swift-project=" + e.get("KEYSTONE_PROJECT"),
                        "--target_container=" + container, "--state_dir=" + work.resolve("state"),
                        "--source_prefix=" + work + "/src", "src");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout() + r.stderr()).doesNotContain(e.get("KEYSTONE_PASSWORD"));
        assertThat(SwiftTestClient.keystoneNames(container)).containsExactly("dir/a.txt");
        assertThat(new String(SwiftTestClient.keystoneGet(container, "dir/a.txt"), StandardCharsets.UTF_8))
                .isEqualTo("alpha");
    }

    @Test
    void aWrongPasswordIsExitCodeTwoWithoutThePassword() throws Exception {
        SwiftCluster.Endpoints e = SwiftCluster.keystoneEndpoints();
        Files.createDirectories(work.resolve("src"));
        JarProcess.Result r = new JarProcess().in(work).env("SWIFT_KEY", null).env("ST_KEY", "not-the-password")
                .env("OS_PROJECT_NAME", e.get("KEYSTONE_PROJECT"))
                .run("--once", "--actor=swift", "--swift_auth_url=" + e.get("KEYSTONE_URL") + "/",
                        "--swift_user=" + e.get("KEYSTONE_USER"), "--swift_domain=" + e.get("KEYSTONE_DOMAIN"),
                        "--target_container=wrongpw", "--state_dir=" + work.resolve("state"), "src");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("Keystone rejected the credentials of user '" + e.get("KEYSTONE_USER") + "'")
                .doesNotContain("not-the-password");
    }

    @Test
    void aKeystoneUrlWithoutAProjectIsExitCodeTwo() throws Exception {
        Files.createDirectories(work.resolve("src"));
        JarProcess.Result r = new JarProcess().in(work).env("SWIFT_KEY", "x").env("OS_PROJECT_NAME", null)
                .run("--once", "--actor=swift", "--swift_auth_url=http://127.0.0.1:9/v3", "--swift_user=u",
                        "--target_container=c", "--state_dir=" + work.resolve("state"), "src");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("needs --swift_project");
    }
}
