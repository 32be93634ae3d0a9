package org.autosync.state.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {

    @Test
    void passwordGoesToTheConnectionPropertiesAndIsMaskedEverywhereElse() {
        PostgresUrl url = PostgresUrl.parse("jdbc:postgresql://db.example:5433/autosync?user=sync&password=s3cret&sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/autosync?user=sync&sslmode=require");
        assertThat(url.connectionProperties().getProperty("password")).isEqualTo("s3cret");
        assertThat(url.toString()).isEqualTo("jdbc:postgresql://db.example:5433/autosync?user=sync&sslmode=require&password=***");
    }

    @Test
    void pgpasswordIsUsedOnlyWhenTheUrlHasNone() {
        Map<String, String> env = Map.of("PGPASSWORD", "from-env");
        assertThat(PostgresUrl.parse("jdbc:postgresql://h/db?user=u").withPasswordFrom(env)
                .connectionProperties().getProperty("password")).isEqualTo("from-env");
        assertThat(PostgresUrl.parse("jdbc:postgresql://h/db?user=u&password=own").withPasswordFrom(env)
                .connectionProperties().getProperty("password")).isEqualTo("own");
        assertThat(PostgresUrl.parse("jdbc:postgresql://h/db").withPasswordFrom(Map.of())
                .connectionProperties().getProperty("password")).isNull();
    }

    @Test
    void hostsPortsAndIpv6AreAccepted() {
        assertThat(PostgresUrl.parse("jdbc:postgresql://a:5432,b:5433/db?targetServerType=primary").jdbcUrl())
                .isEqualTo("jdbc:postgresql://a:5432,b:5433/db?targetServerType=primary");
        assertThat(PostgresUrl.parse("jdbc:postgresql://[::1]:5432/db").jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/db");
    }

    @Test
    void badUrlsAreRefusedWithTheFormAndWithoutTheirPassword() {
        assertThatThrownBy(() -> PostgresUrl.parse("postgres://u:hunter2@h/db?password=hunter2"))
                .hasMessageContaining("is not a PostgreSQL JDBC URL: give jdbc:postgresql://HOST[:PORT]/DATABASE")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> PostgresUrl.parse("jdbc:postgresql://h/db?password=hunter2&x"))
                .hasMessageContaining("'x' is not NAME=VALUE").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> PostgresUrl.parse("jdbc:postgresql://h:99999/db?password=hunter2"))
                .hasMessageContaining("port 99999 is not 1 to 65535").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> PostgresUrl.parse("jdbc:postgresql://u:hunter2@h/db"))
                .hasMessageContaining("give user and password as ?user=USER&password=PASSWORD").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> PostgresUrl.parse("jdbc:postgresql://h/"))
                .hasMessageContaining("is not a PostgreSQL JDBC URL");
    }

    @Test
    void successorBoundsAPrefixRangeInCodePointOrder() {
        assertThat(PostgresSyncState.successor("dir/")).isEqualTo("dir0");
        assertThat(PostgresSyncState.successor("")).isNull();
        assertThat(PostgresSyncState.successor("a\uD7FF")).isEqualTo("a\uE000");
        assertThat(PostgresSyncState.successor("a" + new String(Character.toChars(Character.MAX_CODE_POINT)))).isEqualTo("b");
    }
}
