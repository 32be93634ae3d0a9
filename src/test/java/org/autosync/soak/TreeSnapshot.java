package org.autosync.soak;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Size and MD5 by key: of a local tree (keys relative, '/'-separated) or of a bucket's listing. */
public final class TreeSnapshot {

    public record Entry(long size, String md5) {
    }

    private TreeSnapshot() {
    }

    public static TreeMap<String, Entry> of(Path root) throws IOException {
        TreeMap<String, Entry> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String key = root.relativize(p).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(p)) {
                    entries.put(key, new Entry(Files.size(p), md5(in)));
                }
            }
        }
        return entries;
    }

    public static String md5(InputStream in) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            md5.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    /** What differs between the expected tree and what the target holds: empty when they are equal. */
    public static List<String> differences(Map<String, Entry> expected, Map<String, Entry> actual) {
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            Entry e = expected.get(k);
            Entry a = actual.get(k);
            if (a == null) {
                missing.add(k);
            } else if (e == null) {
                extra.add(k);
            } else if (!e.equals(a)) {
                wrong.add(k + " (local " + e + ", target " + a + ")");
            }
        }
        List<String> out = new ArrayList<>();
        if (!missing.isEmpty()) {
            out.add(missing.size() + " missing from the target: " + head(missing));
        }
        if (!extra.isEmpty()) {
            out.add(extra.size() + " in the target but not in the tree: " + head(extra));
        }
        if (!wrong.isEmpty()) {
            out.add(wrong.size() + " with other size or content: " + head(wrong));
        }
        return out;
    }

    /** The keys that differ (missing, extra or other content), for request-log excerpts. */
    public static List<String> differingKeys(Map<String, Entry> expected, Map<String, Entry> actual) {
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        return keys.stream().filter(k -> !java.util.Objects.equals(expected.get(k), actual.get(k))).toList();
    }

    private static String head(List<String> list) {
        return list.size() <= 10 ? list.toString() : list.subList(0, 10) + " …";
    }
}
