package org.autosync.targets.swift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.autosync.targets.RemoteListing;
import org.autosync.targets.Upload;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Keystone v3 authentication of {@link SwiftActor} against the real Keystone and the keystoneauth proxy. */
@ExtendWith(SwiftCluster.class)
class SwiftKeystoneTest {

    static final long MTIME = 1_700_000_000_123L;
    static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    Path work;
    String container;

    @BeforeEach
    void fresh() {
        SwiftCluster.keystoneEndpoints();
        container = "kstest" + System.currentTimeMillis() % 100000 + "x" + SEQ.incrementAndGet();
    }

    private static int count(SwiftActor actor) {
        int[] n = {0};
        try (RemoteListing l = actor.list("")) {
            l.forEachRemaining(o -> n[0]++);
        }
        return n[0];
    }

    @Test
    void storageUrlComesFromTheCatalogsPublicObjectStoreEndpoint() throws Exception {
        SwiftActor actor = new SwiftActor(SwiftTestClient.keystoneSettings(container));
        assertThat(count(actor)).isZero();
        assertThat(actor.client().auth()).isInstanceOf(SwiftKeystoneAuth.class);
        assertThat(actor.client().auth().session().storageUrl().toString())
                .isEqualTo(SwiftCluster.keystoneEndpoints().get("KEYSTONE_STORAGE_URL"));
        assertThat(actor.client().auth().session().expires()).isAfter(java.time.Instant.now());
    }

    @Test
    void aRejectedTokenIsRefreshedOnceAndTheRequestRetried() throws Exception {
        SwiftActor actor = new SwiftActor(SwiftTestClient.keystoneSettings(container));
        assertThat(count(actor)).isZero();
        int logins = actor.client().auth().logins();

        SwiftTestClient.revoke(true, actor.client().auth().session().token());
        Path f = work.resolve("x");
        Files.write(f, new byte[1000]);
        actor.upload(new Upload("after-401", f, 1000, MTIME, null, Map.of()));

        assertThat(actor.client().auth().logins()).isEqualTo(logins + 1);
        assertThat(SwiftTestClient.keystoneNames(container)).containsExactly("after-401");
    }

    @Test
    void wrongPasswordIsAConfigurationErrorWithAClearMessage() {
        String wrong = "Wr0ng-pass-" + SEQ.get();
        SwiftActor actor = new SwiftActor(SwiftTestClient.keystoneSettings(container).withKey(wrong));
        assertThatThrownBy(() -> actor.list("")).satisfies(e -> {
            assertThat(actor.isConfigurationError(e)).isTrue();
            assertThat(actor.explain(e))
                    .startsWith("Keystone rejected the credentials of user 'autosync' (domain 'Default', project 'autosync')")
                    .doesNotContain(wrong);
            assertThat(String.valueOf(e)).doesNotContain(wrong);
        });
    }

    @Test
    void theDomainNameIsCaseSensitive() {
        SwiftCluster.Endpoints e = SwiftCluster.keystoneEndpoints();
        SwiftActor actor = new SwiftActor(SwiftSettings.keystone(e.keystoneUrl(), e.get("KEYSTONE_USER"),
                e.get("KEYSTONE_PASSWORD"), e.get("KEYSTONE_PROJECT"), "default", container));
        assertThatThrownBy(() -> actor.list("")).satisfies(x -> {
            assertThat(actor.isConfigurationError(x)).isTrue();
            assertThat(actor.explain(x)).contains("domain 'default'").doesNotContain(e.get("KEYSTONE_PASSWORD"));
        });
    }

    @Test
    void settingsShowProjectAndDomainButNeverThePassword() {
        SwiftSettings s = SwiftTestClient.keystoneSettings(container);
        assertThat(s.keystone()).isTrue();
        assertThat(s.toString()).contains("project=autosync", "domain=Default", "key=***")
                .doesNotContain(SwiftCluster.keystoneEndpoints().get("KEYSTONE_PASSWORD"));
    }
}
