package org.autosync.keys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class S3KeyOrderProperties {

    @Property(tries = 1000)
    void agreesWithUnsignedUtf8ByteOrder(@ForAll("keys") String a, @ForAll("keys") String b) {
        int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(UTF_8), b.getBytes(UTF_8)));

        assertThat(Integer.signum(S3KeyOrder.INSTANCE.compare(a, b))).isEqualTo(expected);
        assertThat(Integer.signum(S3KeyOrder.INSTANCE.compare(b, a))).isEqualTo(-expected);
    }

    @Property(tries = 200)
    void sharedPrefixDoesNotChangeTheOrder(
            @ForAll("keys") String prefix, @ForAll("keys") String a, @ForAll("keys") String b) {
        assertThat(Integer.signum(S3KeyOrder.INSTANCE.compare(prefix + a, prefix + b)))
                .isEqualTo(Integer.signum(S3KeyOrder.INSTANCE.compare(a, b)));
    }

    @Example
    void slashSortsBetweenHyphenAndDigits() {
        List<String> sorted = List.of("a0", "a/b", "a-c").stream().sorted(S3KeyOrder.INSTANCE).toList();

        assertThat(sorted).containsExactly("a-c", "a/b", "a0");
    }

    @Example
    void supplementaryCodePointsSortAfterPrivateUseUnlikeStringCompareTo() {
        String crab = "a\uD83E\uDD80";
        String privateUse = "a\uE000";

        assertThat(S3KeyOrder.INSTANCE.compare(crab, privateUse)).isPositive();
        assertThat(crab.compareTo(privateUse)).isNegative();
    }

    @Provide
    Arbitrary<String> keys() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(1, Arbitraries.integers().between(0x800, 0xD7FF)),
                Tuple.of(2, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return codePoint.list().ofMaxSize(8).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }
}
