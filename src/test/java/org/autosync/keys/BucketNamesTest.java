package org.autosync.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BucketNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "my-s3-bucket",
        "abc",
        "docexamplebucket1",
        "log-delivery-march-2020",
        "my.example.com",
        "123",
        "192.168.5",
        "1.2.3.4.5",
        "xn-single-hyphen",
        "bucket-s3alias-not-at-end",
        "a23456789012345678901234567890123456789012345678901234567890123"
    })
    void acceptsValidNames(String name) {
        assertThat(BucketNames.violation(name)).isEmpty();
        assertThat(BucketNames.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ab                          | bucket names must be 3 to 63 characters long (got 2)",
        "a234567890123456789012345678901234567890123456789012345678901234 | bucket names must be 3 to 63 characters long (got 64)",
        "my_s3_bucket                | bucket names may contain only lowercase letters, digits, dots and hyphens (found '_' at position 3)",
        "MyBucket                    | bucket names may contain only lowercase letters, digits, dots and hyphens (found 'M' at position 1; use lowercase)",
        "'my bucket'                 | bucket names may contain only lowercase letters, digits, dots and hyphens (found a space at position 3)",
        "caf\u00e9s                  | bucket names may contain only lowercase letters, digits, dots and hyphens (found '\u00e9' (U+00E9) at position 4)",
        "-bucket                     | bucket names must begin and end with a letter or digit",
        "bucket-                     | bucket names must begin and end with a letter or digit",
        ".bucket                     | bucket names must begin and end with a letter or digit",
        "my..bucket                  | bucket names must not contain two adjacent dots",
        "192.168.5.4                 | bucket names must not be formatted as an IP address",
        "xn--bucket                  | bucket names must not start with the reserved prefix 'xn--'",
        "sthree-bucket               | bucket names must not start with the reserved prefix 'sthree-'",
        "amzn-s3-demo-bucket         | bucket names must not start with the reserved prefix 'amzn-s3-demo-'",
        "bucket-s3alias              | bucket names must not end with the reserved suffix '-s3alias'",
        "bucket--ol-s3               | bucket names must not end with the reserved suffix '--ol-s3'",
        "bucket.mrap                 | bucket names must not end with the reserved suffix '.mrap'",
        "bucket--x-s3                | bucket names must not end with the reserved suffix '--x-s3'",
        "bucket--table-s3            | bucket names must not end with the reserved suffix '--table-s3'"
    })
    void rejectsInvalidNamesNamingTheRule(String name, String rule) {
        assertThat(BucketNames.violation(name)).contains(rule);
        assertThat(BucketNames.isValid(name)).isFalse();
    }

    @Test
    void missingNameIsAViolation() {
        assertThat(BucketNames.violation(null)).contains("bucket name is missing");
        assertThat(BucketNames.violation("")).contains("bucket name is missing");
    }

    @Test
    void controlCharactersAreShownAsCodePoints() {
        assertThat(BucketNames.violation("ab\tc")).hasValueSatisfying(v -> assertThat(v).contains("U+0009"));
    }
}
