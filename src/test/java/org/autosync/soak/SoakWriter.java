package org.autosync.soak;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A seeded random writer on a source tree: it creates, overwrites (to another size or the same size), appends,
 * renames files (to a new name or over an existing file) and directories, deletes files and removes whole
 * directories, and records in a {@link Journal} when each path existed. The sequence of operations depends on the
 * seed only (how many of them run in the time given depends on the machine).
 *
 * <p>Names never match the default temp-file globs ({@code *.part}, {@code *.tmp}, {@code .~lock*}); some contain a
 * space; some creates reuse the path of a file deleted a moment ago, to race deletes with re-creations.
 */
public final class SoakWriter {

    /** What the writer does, with the weight of each kind. */
    public enum Op {
        CREATE(22), OVERWRITE(12), OVERWRITE_SAME_SIZE(10), APPEND(10), RENAME_FILE(8), RENAME_OVER(3),
        DELETE_FILE(14), MAKE_DIR_TREE(1), RENAME_DIR(1), REMOVE_DIR(1), BIG_FILE(1);

        final int weight;

        Op(int weight) {
            this.weight = weight;
        }
    }

    private static final int BIG_MIN = 5 * 1024 * 1024 + 512 * 1024;
    private static final int BIG_SPREAD = 6 * 1024 * 1024;
    private static final int MAX_DEPTH = 5;
    /**
     * The most files a directory rename or removal takes along: more would be a mass delete, which
     * {@code --max_delete} (50% by default) is meant to stop, and the soak is about what must not stop.
     */
    private static final int DIR_OP_MAX_FILES = 30;
    private static final int MAX_BIG_WRITES = 10;
    private static final int MAX_BIG_FILES = 4;

    private final Path root;
    private final Random random;
    private final Journal journal;
    private final boolean bigFiles;
    private final TreeSet<String> files = new TreeSet<>();
    private final TreeSet<String> dirs = new TreeSet<>();
    private final List<String> recentlyDeleted = new ArrayList<>();
    private final Map<Op, Integer> applied = new EnumMap<>(Op.class);
    private final int totalWeight;
    private int names;
    private int bigWrites;
    private int removals;
    private long bytesWritten;

    /** {@code bigFiles}: whether {@link Op#BIG_FILE} writes files over 5 MiB (multipart uploads) or is skipped. */
    public SoakWriter(Path root, long seed, Journal journal, boolean bigFiles) {
        this.root = root;
        this.random = new Random(seed);
        this.journal = journal;
        this.bigFiles = bigFiles;
        int total = 0;
        for (Op op : Op.values()) {
            applied.put(op, 0);
            total += op == Op.BIG_FILE && !bigFiles ? 0 : op.weight;
        }
        this.totalWeight = total;
    }

    /** Creates {@code dirCount} nested directories and {@code fileCount} small files in them (and at the root). */
    public void populate(int fileCount, int dirCount) throws IOException {
        Files.createDirectories(root);
        for (int i = 0; i < dirCount; i++) {
            String dir = join(pickParentDir(), "d" + (names++));
            Files.createDirectory(abs(dir));
            dirs.add(dir);
        }
        for (int i = 0; i < fileCount; i++) {
            String file = join(pickDirOrRoot(), fileName());
            write(file, content(smallSize()), false);
            opened(file);
        }
    }

    /** Applies random operations, pausing 0..2×{@code meanPause} between them, until {@code duration} has passed. */
    public void run(Duration duration, Duration meanPause) throws IOException, InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        int pause = (int) meanPause.toMillis();
        while (System.nanoTime() < end) {
            Op op = pick();
            apply(op);
            applied.merge(op, 1, Integer::sum);
            Thread.sleep(random.nextInt(2 * pause + 1));
        }
    }

    /** Operations applied, by kind (those that fell back to another kind count as that kind). */
    public Map<Op, Integer> applied() {
        return new EnumMap<>(applied);
    }

    public int fileCount() {
        return files.size();
    }

    /** Paths removed from the tree (deleted, renamed away, in a removed or renamed directory) by {@link #run}. */
    public int removals() {
        return removals;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    /** The relative paths of the files the writer believes exist, to compare with the disk. */
    public TreeSet<String> files() {
        return new TreeSet<>(files);
    }

    private Op pick() {
        int n = random.nextInt(totalWeight);
        for (Op op : Op.values()) {
            if (op == Op.BIG_FILE && !bigFiles) {
                continue;
            }
            n -= op.weight;
            if (n < 0) {
                return op;
            }
        }
        throw new AssertionError();
    }

    private void apply(Op op) throws IOException {
        if (files.isEmpty() && op != Op.MAKE_DIR_TREE && op != Op.BIG_FILE) {
            op = Op.CREATE;
        }
        switch (op) {
            case CREATE -> create();
            case OVERWRITE -> write(pickFile(), content(smallSize()), false);
            case OVERWRITE_SAME_SIZE -> overwriteSameSize();
            case APPEND -> write(pickFile(), content(1 + random.nextInt(512)), true);
            case RENAME_FILE -> renameFile();
            case RENAME_OVER -> renameOver();
            case DELETE_FILE -> deleteFile(pickFile());
            case MAKE_DIR_TREE -> makeDirTree();
            case RENAME_DIR -> renameDir();
            case REMOVE_DIR -> removeDir();
            case BIG_FILE -> bigFile();
        }
    }

    private void create() throws IOException {
        String file = null;
        if (!recentlyDeleted.isEmpty() && random.nextInt(5) == 0) {
            String again = recentlyDeleted.remove(random.nextInt(recentlyDeleted.size()));
            String parent = parent(again);
            if (!files.contains(again) && (parent.isEmpty() || dirs.contains(parent))) {
                file = again;
            }
        }
        if (file == null) {
            file = join(pickDirOrRoot(), fileName());
        }
        write(file, content(smallSize()), false);
        opened(file);
    }

    private void overwriteSameSize() throws IOException {
        String file = pickFile();
        long size = Files.size(abs(file));
        if (size > BIG_MIN) {
            size = 4096;
        }
        write(file, content((int) size), false);
    }

    private void renameFile() throws IOException {
        String from = pickFile();
        String to = join(pickDirOrRoot(), fileName());
        closed(from);
        Files.move(abs(from), abs(to), StandardCopyOption.ATOMIC_MOVE);
        opened(to);
    }

    /** Save-by-rename: the target exists before, during and after; only the source goes away. */
    private void renameOver() throws IOException {
        if (files.size() < 2) {
            create();
            return;
        }
        String from = pickFile();
        String to;
        do {
            to = pickFile();
        } while (to.equals(from));
        closed(from);
        Files.move(abs(from), abs(to), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void deleteFile(String file) throws IOException {
        closed(file);
        Files.delete(abs(file));
        recentlyDeleted.add(file);
        if (recentlyDeleted.size() > 50) {
            recentlyDeleted.remove(0);
        }
    }

    private void makeDirTree() throws IOException {
        String dir = join(pickParentDir(), "n" + (names++));
        Files.createDirectory(abs(dir));
        dirs.add(dir);
        String sub = null;
        if (random.nextBoolean() && depth(dir) < MAX_DEPTH) {
            sub = join(dir, "s" + (names++));
            Files.createDirectory(abs(sub));
            dirs.add(sub);
        }
        int count = 3 + random.nextInt(13);
        for (int i = 0; i < count; i++) {
            String file = join(sub != null && random.nextBoolean() ? sub : dir, fileName());
            write(file, content(smallSize()), false);
            opened(file);
        }
    }

    private void renameDir() throws IOException {
        List<String> small = new ArrayList<>();
        for (String d : dirs) {
            if (under(files, d).size() <= DIR_OP_MAX_FILES) {
                small.add(d);
            }
        }
        if (small.isEmpty()) {
            makeDirTree();
            return;
        }
        String dir = small.get(random.nextInt(small.size()));
        List<String> parents = new ArrayList<>();
        parents.add("");
        for (String d : dirs) {
            if (!d.equals(dir) && !d.startsWith(dir + "/") && depth(d) < MAX_DEPTH) {
                parents.add(d);
            }
        }
        String to = join(parents.get(random.nextInt(parents.size())), "r" + (names++));
        List<String> moved = under(files, dir);
        List<String> movedDirs = under(dirs, dir);
        for (String f : moved) {
            closed(f);
        }
        Files.move(abs(dir), abs(to), StandardCopyOption.ATOMIC_MOVE);
        dirs.remove(dir);
        dirs.add(to);
        for (String d : movedDirs) {
            dirs.remove(d);
            dirs.add(to + d.substring(dir.length()));
        }
        for (String f : moved) {
            opened(to + f.substring(dir.length()));
        }
    }

    private void removeDir() throws IOException {
        List<String> small = new ArrayList<>();
        for (String d : dirs) {
            if (under(files, d).size() <= DIR_OP_MAX_FILES) {
                small.add(d);
            }
        }
        if (small.isEmpty()) {
            deleteFile(pickFile());
            return;
        }
        String dir = small.get(random.nextInt(small.size()));
        List<String> gone = under(files, dir);
        for (String f : gone) {
            closed(f);
        }
        try (Stream<Path> walk = Files.walk(abs(dir))) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        dirs.remove(dir);
        dirs.removeAll(under(dirs, dir));
    }

    private void bigFile() throws IOException {
        if (bigWrites >= MAX_BIG_WRITES) {
            write(pickFile(), content(smallSize()), false);
            return;
        }
        bigWrites++;
        List<String> big = files.stream().filter(f -> f.endsWith(".big")).toList();
        String file;
        boolean created = false;
        if (big.isEmpty() || (big.size() < MAX_BIG_FILES && random.nextBoolean())) {
            file = join(pickDirOrRoot(), "b" + (names++) + ".big");
            created = true;
        } else {
            file = big.get(random.nextInt(big.size()));
        }
        int size = BIG_MIN + random.nextInt(BIG_SPREAD);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(abs(file))) {
            for (int left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, Math.min(left, block.length));
            }
        }
        bytesWritten += size;
        if (created) {
            opened(file);
        }
    }

    // ---- helpers

    private void write(String file, byte[] content, boolean append) throws IOException {
        if (append) {
            Files.write(abs(file), content, StandardOpenOption.APPEND);
        } else {
            Files.write(abs(file), content);
        }
        bytesWritten += content.length;
    }

    private void opened(String file) {
        files.add(file);
        journal.opened(file, Journal.nowMicros());
    }

    private void closed(String file) {
        removals++;
        journal.closed(file, Journal.nowMicros());
        files.remove(file);
    }

    private int smallSize() {
        int r = random.nextInt(100);
        if (r < 5) {
            return 0;
        }
        return r < 75 ? random.nextInt(2048) : 2048 + random.nextInt(30 * 1024);
    }

    private byte[] content(int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private String fileName() {
        int n = names++;
        return switch (random.nextInt(6)) {
            case 0 -> "note " + n + ".txt";
            case 1 -> "f" + n + ".bin";
            case 2 -> "f" + n;
            case 3 -> "data-" + n + ".log";
            default -> "f" + n + ".txt";
        };
    }

    private String pickFile() {
        return pick(files);
    }

    private String pick(TreeSet<String> set) {
        int i = random.nextInt(set.size());
        for (String s : set) {
            if (i-- == 0) {
                return s;
            }
        }
        throw new AssertionError();
    }

    /** A directory or the root (""), the root as likely as one directory. */
    private String pickDirOrRoot() {
        int i = random.nextInt(dirs.size() + 1);
        return i == dirs.size() ? "" : new ArrayList<>(dirs).get(i);
    }

    private String pickParentDir() {
        String p = pickDirOrRoot();
        return depth(p) < MAX_DEPTH ? p : "";
    }

    private static List<String> under(TreeSet<String> set, String dir) {
        return new ArrayList<>(set.subSet(dir + "/", dir + "/\uffff"));
    }

    private static int depth(String rel) {
        return rel.isEmpty() ? 0 : (int) rel.chars().filter(c -> c == '/').count() + 1;
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    private static String parent(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }

    private Path abs(String rel) {
        return root.resolve(rel);
    }
}
