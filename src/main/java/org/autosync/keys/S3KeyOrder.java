package org.autosync.keys;

import java.util.Comparator;

/**
 * The order S3 lists keys in: UTF-8 binary. For well-formed strings that equals Unicode code point
 * order, which differs from {@link String#compareTo} (UTF-16 code units) when a code point above
 * U+FFFF meets one in U+E000..U+FFFF.
 */
public final class S3KeyOrder implements Comparator<String> {

    public static final S3KeyOrder INSTANCE = new S3KeyOrder();

    private S3KeyOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
