package org.autosync.keys;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * AWS's naming rules for general purpose S3 buckets
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 */
public final class BucketNames {

    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 63;

    private static final Pattern IPV4_LIKE = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_SUFFIXES =
            List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

    private BucketNames() {
    }

    /** Whether {@code name} is a valid general purpose bucket name. */
    public static boolean isValid(String name) {
        return violation(name).isEmpty();
    }

    /**
     * The first naming rule {@code name} breaks, worded for the user, or empty if it is valid.
     */
    public static Optional<String> violation(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("bucket name is missing");
        }
        // length counts characters; with only ASCII allowed (checked next) that equals bytes
        int length = name.codePointCount(0, name.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return Optional.of("bucket names must be " + MIN_LENGTH + " to " + MAX_LENGTH
                    + " characters long (got " + length + ")");
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (!isAllowed(c)) {
                String hint = c >= 'A' && c <= 'Z' ? "; use lowercase" : "";
                return Optional.of("bucket names may contain only lowercase letters, digits, dots and"
                        + " hyphens (found " + describe(c) + " at position " + (i + 1) + hint + ")");
            }
            i += Character.charCount(c);
        }
        if (!isLetterOrDigit(name.charAt(0)) || !isLetterOrDigit(name.charAt(name.length() - 1))) {
            return Optional.of("bucket names must begin and end with a letter or digit");
        }
        if (name.contains("..")) {
            return Optional.of("bucket names must not contain two adjacent dots");
        }
        if (IPV4_LIKE.matcher(name).matches()) {
            return Optional.of("bucket names must not be formatted as an IP address");
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return Optional.of("bucket names must not start with the reserved prefix '"
                        + prefix + "'");
            }
        }
        for (String suffix : RESERVED_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return Optional.of("bucket names must not end with the reserved suffix '"
                        + suffix + "'");
            }
        }
        return Optional.empty();
    }

    private static boolean isAllowed(int c) {
        return isLetterOrDigit(c) || c == '.' || c == '-';
    }

    private static boolean isLetterOrDigit(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static String describe(int c) {
        if (c == ' ') {
            return "a space";
        }
        if (c > ' ' && c < 0x7f) {
            return "'" + (char) c + "'";
        }
        String code = String.format("U+%04X", c);
        return Character.isISOControl(c) || Character.isWhitespace(c)
                ? code
                : "'" + Character.toString(c) + "' (" + code + ")";
    }
}
