package org.autosync.state.postgres;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a sync state in PostgreSQL lives: {@code jdbc:postgresql://HOST[:PORT][,HOST[:PORT]...]/DATABASE[?user=U&password=P&...]},
 * the PostgreSQL JDBC driver's own URL, checked here in one place (the template parameter {@code stateUrl} and the
 * command line's {@code --state_url}). The password never leaves this class except as a connection property:
 * {@link #toString()} and every error message show it as {@code ***}. Without {@code password=} in the URL, the
 * standard {@code PGPASSWORD} variable may give it ({@link #withPasswordFrom}), as to {@code psql}.
 */
public final class PostgresUrl {

    public static final String FORM = "jdbc:postgresql://HOST[:PORT]/DATABASE[?user=USER&password=PASSWORD]";

    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/?#]+)/([^/?#]+)(?:\\?(.*))?");
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::(\\d{1,5}))?");
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@]*:)[^/@]*@");

    private final String withoutPassword;
    private final String password;

    private PostgresUrl(String withoutPassword, String password) {
        this.withoutPassword = withoutPassword;
        this.password = password;
    }

    /** @throws IllegalArgumentException saying what is wrong, with any password in {@code text} masked */
    public static PostgresUrl parse(String text) {
        Matcher m = URL.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + mask(text) + "' is not a PostgreSQL JDBC URL: give " + FORM);
        }
        for (String host : m.group(1).split(",", -1)) {
            if (host.contains("@")) {
                throw new IllegalArgumentException("'" + mask(text) + "': give user and password as "
                        + "?user=USER&password=PASSWORD, not in front of the host");
            }
            Matcher h = HOST.matcher(host);
            if (!h.matches()) {
                throw new IllegalArgumentException("'" + mask(text) + "': '" + host + "' is not HOST or HOST:PORT");
            }
            if (h.group(2) != null && (Integer.parseInt(h.group(2)) < 1 || Integer.parseInt(h.group(2)) > 65535)) {
                throw new IllegalArgumentException("'" + mask(text) + "': port " + h.group(2) + " is not 1 to 65535");
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (m.group(3) != null && !m.group(3).isEmpty()) {
            for (String pair : m.group(3).split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + mask(text) + "': '" + mask(pair) + "' is not NAME=VALUE");
                }
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        String password = params.remove("password");
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(m.group(1)).append('/').append(m.group(2));
        String sep = "?";
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(sep).append(p.getKey()).append('=').append(p.getValue());
            sep = "&";
        }
        return new PostgresUrl(url.toString(), password);
    }

    /** This URL, with the password from {@code env}'s {@code PGPASSWORD} if it has none of its own. */
    public PostgresUrl withPasswordFrom(Map<String, String> env) {
        String fromEnv = env.get("PGPASSWORD");
        return password != null || fromEnv == null || fromEnv.isEmpty() ? this : new PostgresUrl(withoutPassword, fromEnv);
    }

    /** {@code text} with the value of every {@code password=} parameter, and a {@code //user:password@}, as {@code ***}. */
    public static String mask(String text) {
        return text == null ? null : USER_INFO.matcher(PASSWORD.matcher(text).replaceAll("$1***")).replaceAll("$1***@");
    }

    /** The URL to give the driver: without the password, which goes in {@link #connectionProperties}. */
    String jdbcUrl() {
        return withoutPassword;
    }

    /**
     * The password and the timeouts (unless the URL sets them): an unreachable server fails a call in seconds
     * instead of hanging the job's pass.
     */
    Properties connectionProperties() {
        Properties props = new Properties();
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "60");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "autosync");
        return props;
    }

    /** The URL as it may be shown: the password, if any, as {@code ***}. */
    @Override
    public String toString() {
        return password == null ? withoutPassword
                : withoutPassword + (withoutPassword.contains("?") ? "&" : "?") + "password=***";
    }
}
