package org.autosync.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TargetUriTest {

    @Test
    void s3WithPrefixAndParameters() {
        TargetUri t = TargetUri.parse("s3://bucket/a/b/?endpoint=http://127.0.0.1:9001&access_key_env=K&secret_key_env=S");

        assertThat(t.scheme()).isEqualTo("s3");
        assertThat(t.container()).isEqualTo("bucket");
        assertThat(t.prefix()).isEqualTo("a/b");
        assertThat(t.params()).isEqualTo(Map.of("endpoint", "http://127.0.0.1:9001", "access_key_env", "K", "secret_key_env", "S"));
        assertThat(t.label()).isEqualTo("s3://bucket/a/b");
    }

    @Test
    void swiftWithoutPrefix() {
        TargetUri t = TargetUri.parse("swift://my_container");

        assertThat(t.container()).isEqualTo("my_container");
        assertThat(t.prefix()).isEmpty();
        assertThat(t.label()).isEqualTo("swift://my_container");
    }

    @Test
    void swiftWithItsOwnLogin() {
        TargetUri t = TargetUri.parse("swift://c/p?auth_url=http%3A%2F%2F127.0.0.1%3A8080%2Fauth%2Fv1.0&user=test:tester&key_env=K");

        assertThat(t.params()).containsEntry("auth_url", "http://127.0.0.1:8080/auth/v1.0")
                .containsEntry("user", "test:tester").containsEntry("key_env", "K");
        assertThat(t.isS3()).isFalse();
    }

    @Test
    void rejectsWhatItCannotMean() {
        assertThatThrownBy(() -> TargetUri.parse("bucket")).hasMessageContaining("use s3://");
        assertThatThrownBy(() -> TargetUri.parse("ftp://x")).hasMessageContaining("unknown scheme 'ftp'");
        assertThatThrownBy(() -> TargetUri.parse("s3:///p")).hasMessageContaining("no bucket");
        assertThatThrownBy(() -> TargetUri.parse("s3://b?secret=x")).hasMessageContaining("unknown parameter 'secret'");
        assertThatThrownBy(() -> TargetUri.parse("swift://c?endpoint=x")).hasMessageContaining("unknown parameter 'endpoint'")
                .hasMessageContaining("swift:// knows auth_url, domain, key_env, project, user");
        assertThatThrownBy(() -> TargetUri.parse("s3://b?auth_url=x")).hasMessageContaining("unknown parameter 'auth_url'");
        assertThatThrownBy(() -> TargetUri.parse("s3://b?access_key_env=K")).hasMessageContaining("go together");
        assertThatThrownBy(() -> TargetUri.parse("s3://b?region=")).hasMessageContaining("has no value");
        assertThatThrownBy(() -> TargetUri.parse("s3://b?region")).hasMessageContaining("has no value");
        assertThatThrownBy(() -> TargetUri.parse("s3://b?region=a&region=b")).hasMessageContaining("given twice");
    }
}
