package org.autosync.targets;

import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.camel.util.URISupport;

/**
 * Where a job mirrors to, as one string: {@code s3://BUCKET[/PREFIX][?endpoint=URL&region=R&profile=P
 * &access_key_env=VAR&secret_key_env=VAR]} or {@code swift://CONTAINER[/PREFIX][?auth_url=URL&user=U
 * &key_env=VAR&project=P&domain=D]}. The command line's {@code --target} and a job template's {@code target}
 * parameter use it. Secrets never appear in the URI: {@code access_key_env}, {@code secret_key_env} and
 * {@code key_env} name environment variables that hold them.
 *
 * @param scheme    {@code s3} or {@code swift}
 * @param container the bucket or container
 * @param prefix    the target prefix (as {@code --target_prefix}); empty for none
 * @param params    the query parameters (split by Camel's {@link URISupport#parseQuery}), URL-decoded
 */
public record TargetUri(String text, String scheme, String container, String prefix, Map<String, String> params) {

    public static final Set<String> S3_PARAMS = Set.of("endpoint", "region", "profile", "access_key_env", "secret_key_env");
    public static final Set<String> SWIFT_PARAMS = Set.of("auth_url", "user", "key_env", "project", "domain");

    public static TargetUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no target: use s3://BUCKET[/PREFIX][?endpoint=URL&...] or swift://CONTAINER[/PREFIX]");
        }
        int sep = text.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("invalid target '" + text
                    + "': use s3://BUCKET[/PREFIX][?endpoint=URL&...] or swift://CONTAINER[/PREFIX]");
        }
        String scheme = text.substring(0, sep);
        if (!"s3".equals(scheme) && !"swift".equals(scheme)) {
            throw new IllegalArgumentException("invalid target '" + text + "': unknown scheme '" + scheme
                    + "' (use s3:// or swift://)");
        }
        Set<String> known = "s3".equals(scheme) ? S3_PARAMS : SWIFT_PARAMS;
        String rest = text.substring(sep + 3);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String container = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (container.isEmpty()) {
            throw new IllegalArgumentException("invalid target '" + text + "': no " + ("s3".equals(scheme) ? "bucket" : "container"));
        }
        Map<String, Object> parsed;
        try {
            parsed = URISupport.parseQuery(query);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid target '" + text + "': " + e.getMessage());
        }
        Map<String, String> params = new LinkedHashMap<>();
        parsed.forEach((key, value) -> {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("invalid target '" + text + "': unknown parameter '" + key
                        + "' (" + scheme + ":// knows " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
            if (value instanceof List) {
                throw new IllegalArgumentException("invalid target '" + text + "': parameter '" + key + "' given twice");
            }
            String decoded = value == null ? "" : URLDecoder.decode(value.toString(), StandardCharsets.UTF_8);
            if (decoded.isBlank()) {
                throw new IllegalArgumentException("invalid target '" + text + "': parameter '" + key + "' has no value");
            }
            params.put(key, decoded);
        });
        if (params.containsKey("access_key_env") != params.containsKey("secret_key_env")) {
            throw new IllegalArgumentException("invalid target '" + text + "': access_key_env and secret_key_env go together");
        }
        if (params.containsKey("profile") && params.containsKey("access_key_env")) {
            throw new IllegalArgumentException("invalid target '" + text + "': give either profile or access_key_env/secret_key_env");
        }
        return new TargetUri(text, scheme, container, prefix, Collections.unmodifiableMap(params));
    }

    public boolean isS3() {
        return "s3".equals(scheme);
    }

    /** {@code scheme://container[/prefix]}: what summaries and logs show (the parameters hold no secrets, but are noise). */
    public String label() {
        return scheme + "://" + container + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** Whether both name the same place: scheme, container, prefix and endpoint. */
    public boolean sameTargetAs(TargetUri other) {
        return scheme.equals(other.scheme) && container.equals(other.container) && prefix.equals(other.prefix)
                && Objects.equals(params.get("endpoint"), other.params.get("endpoint"))
                && Objects.equals(params.get("auth_url"), other.params.get("auth_url"));
    }
}
