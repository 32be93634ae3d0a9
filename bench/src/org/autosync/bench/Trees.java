package org.autosync.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Deterministic source trees: the same seed gives the same names and bytes on every machine. */
final class Trees {

    /** Names that trip up key mapping, URL encoding and signing; none is a temp-file name Autosync skips. */
    private static final List<String> AWKWARD = List.of(
            "space in name.txt", "café.txt", "日本語のファイル.txt", "emoji 🎉.bin", "percent%20literal.txt",
            "plus+sign.txt", "hash#mark.txt", "question?mark.txt", "amp&ersand=eq.txt", "quote'single\".txt",
            "-leading-dash.txt", "tilde~.txt", "brackets[1](2){3}.txt", "semi;colon,comma.txt", "at@dollar$.txt",
            "UPPER lower.TXT", "dots.in.the.name...txt", "empty-file.txt", "a".repeat(200) + ".txt",
            "Ünïcödé-NFC-é.txt");

    private Trees() {
    }

    /** {@code files} files of {@code size} bytes spread over {@code dirs} directories. */
    static Path uniform(Path root, int files, int dirs, int size, long seed) throws IOException {
        byte[] buffer = new byte[size];
        for (int i = 0; i < files; i++) {
            Path file = root.resolve(String.format("d%04d/f%06d.bin", i % dirs, i));
            Files.createDirectories(file.getParent());
            fill(buffer, seed, i);
            Files.write(file, buffer);
        }
        return root;
    }

    /** Awkward names at three depths, sizes from 0 to 64 KiB. */
    static Path mixed(Path root, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 0;
        for (String dir : List.of("", "sub dir/", "déjà vu/nested [deep]/level 3/")) {
            for (String name : AWKWARD) {
                int size = name.startsWith("empty") ? 0 : random.nextInt(64 * 1024);
                byte[] bytes = new byte[size];
                fill(bytes, seed, n++);
                Path file = root.resolve(dir + name);
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
            }
        }
        return root;
    }

    /** Empty files: cheap to make by the million, still one tracked entry each. */
    static Path empty(Path root, int files, int dirs) throws IOException {
        for (int d = 0; d < dirs; d++) {
            Files.createDirectories(root.resolve(String.format("d%04d", d)));
        }
        for (int i = 0; i < files; i++) {
            Files.createFile(root.resolve(String.format("d%04d/f%07d", i % dirs, i)));
        }
        return root;
    }

    /** One file of {@code bytes} pseudo-random bytes. */
    static Path large(Path file, long bytes, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0, i = 0; written < bytes; written += chunk.length, i++) {
                fill(chunk, seed, i);
                out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
            }
        }
        return file;
    }

    /** What {@link #changeOnePercent} did, for the request targets. */
    record Change(int changed, int added, int deleted) {
        int uploads() {
            return changed + added;
        }
    }

    /** Rewrites 1% of the files with new bytes of the same size, adds 1% new files and deletes 1% others. */
    static Change changeOnePercent(Path root, long seed) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
        }
        SplittableRandom random = new SplittableRandom(seed);
        int share = Math.max(1, files.size() / 100);
        List<Path> picked = new ArrayList<>();
        while (picked.size() < 2 * share) {
            Path candidate = files.get(random.nextInt(files.size()));
            if (!picked.contains(candidate)) {
                picked.add(candidate);
            }
        }
        for (int i = 0; i < share; i++) {
            Path file = picked.get(i);
            byte[] bytes = new byte[(int) Files.size(file)];
            fill(bytes, seed * 31 + 7, i);
            Files.write(file, bytes);
            Path added = file.resolveSibling("added-" + seed + "-" + i + ".bin");
            Files.write(added, bytes);
            Files.delete(picked.get(share + i));
        }
        return new Change(share, share, share);
    }

    /** Appends one line to a file: a change event for continuous mode. */
    static void touch(Path file, int n) throws IOException {
        Files.write(file, ("change " + n + "\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
    }

    private static void fill(byte[] bytes, long seed, long index) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        for (int i = 0; i < bytes.length; i += 8) {
            long v = random.nextLong();
            for (int b = 0; b < 8 && i + b < bytes.length; b++) {
                bytes[i + b] = (byte) (v >>> (8 * b));
            }
        }
    }
}
