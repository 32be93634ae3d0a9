package org.autosync.targets.swift;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The token cache both logins share: renewal before expiry, and one login per rejected token (no server). */
class SwiftAuthTest {

    private static SwiftAuth auth(Duration life) {
        SwiftSettings settings = SwiftSettings.of(URI.create("http://127.0.0.1:9/auth/v1.0"), "a:b", "k", "c");
        return new SwiftAuth(null, settings) {
            private int n;

            @Override
            protected Session login() {
                return new Session("tk" + ++n, URI.create("http://127.0.0.1:9/v1/AUTH_a"), Instant.now().plus(life));
            }
        };
    }

    @Test
    void aTokenAboutToExpireIsRenewedBeforeUse() throws Exception {
        SwiftAuth auth = auth(Duration.ofSeconds(2)); // within the 5 s renewal margin
        String first = auth.session().token();
        assertThat(auth.session().token()).isNotEqualTo(first);
        assertThat(auth.logins()).isEqualTo(2);
    }

    @Test
    void aValidTokenIsReusedAndARejectedOneReplacedOnce() throws Exception {
        SwiftAuth auth = auth(Duration.ofHours(1));
        SwiftAuth.Session s = auth.session();
        assertThat(auth.session()).isSameAs(s);
        SwiftAuth.Session renewed = auth.refresh(s);
        assertThat(auth.refresh(s)).isSameAs(renewed); // a second thread that saw the same 401
        assertThat(auth.logins()).isEqualTo(2);
    }

    @Test
    void keystoneIsChosenByAV3Path() {
        assertThat(SwiftSettings.keystone(URI.create("http://h:5000/v3"))).isTrue();
        assertThat(SwiftSettings.keystone(URI.create("http://h:5000/identity/v3/"))).isTrue();
        assertThat(SwiftSettings.keystone(URI.create("http://h:8080/auth/v1.0"))).isFalse();
        assertThat(SwiftSettings.keystone(URI.create("http://h:5000/v3"), "u", "p", "proj", null, "c").domain())
                .isEqualTo("Default");
    }
}
