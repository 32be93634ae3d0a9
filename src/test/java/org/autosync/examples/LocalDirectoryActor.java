package org.autosync.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.autosync.targets.Actor;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;
import org.autosync.targets.Upload;

/**
 * An example integrator actor: mirrors into another local directory (a mounted share, a second disk). Each key
 * is a file under {@code root}; the file's mtime is the source mtime, its ETag the MD5 of its content.
 *
 * <p>Run it with the jar and this class on the classpath:
 * <pre>
 * java -cp autosync.jar:examples.jar org.autosync.cli.Autosync \
 *     --actor=org.autosync.examples.LocalDirectoryActor --actor_option root=/mnt/copy --once SOURCE
 * </pre>
 *
 * <p>What it shows: a public no-argument constructor; a setting ({@link #setRoot}) bound from
 * {@code --actor_option root=DIR} or {@code camel.beans.actor.root=DIR}; {@link #validate()} naming a missing
 * setting; and a listing that does not promise S3 key order ({@link RemoteListing#alreadySorted()} is false,
 * like the original autosync's {@code already_sorted = False}), which Autosync sorts itself.
 *
 * <p>Limits, fine for an example: the listing reads every file to compute its MD5; a file and a directory
 * cannot share a name, so keys {@code a} and {@code a/b} cannot both exist; keys under {@code .autosync-tmp/}
 * are reserved for uploads in progress.
 */
public class LocalDirectoryActor implements Actor {

    static final String TMP_DIR = ".autosync-tmp";

    private Path root;

    public LocalDirectoryActor() {
    }

    /** The directory the objects live under; created on the first upload. */
    public void setRoot(String root) {
        this.root = Path.of(root).toAbsolutePath().normalize();
    }

    public String getRoot() {
        return root == null ? null : root.toString();
    }

    @Override
    public void validate() {
        if (root == null) {
            throw new IllegalArgumentException("missing setting root (--actor_option root=DIR or camel.beans.actor.root=DIR)");
        }
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IllegalArgumentException("root " + root + " is not a directory");
        }
    }

    @Override
    public RemoteListing list(String prefix) {
        List<RemoteObject> objects = new ArrayList<>();
        // start at the deepest directory the prefix names, then filter on the whole key
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (Files.isDirectory(start)) {
            try {
                Files.walkFileTree(start, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return dir.equals(root.resolve(TMP_DIR)) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        String key = keyOf(file);
                        if (attrs.isRegularFile() && key.startsWith(prefix)) {
                            try {
                                objects.add(new RemoteObject(key, attrs.size(), md5(file)));
                            } catch (NoSuchFileException gone) {
                                // deleted while listing: not there
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + start, e); // an incomplete listing must fail
            }
        }
        Iterator<RemoteObject> it = objects.iterator(); // file system order: not S3 key order
        return RemoteListing.of(it, false);
    }

    @Override
    public String upload(Upload upload) throws IOException {
        Path target = pathOf(upload.key());
        Path tmpDir = Files.createDirectories(root.resolve(TMP_DIR));
        Path tmp = Files.createTempFile(tmpDir, "upload", ".part");
        try {
            MessageDigest md5 = md5Digest();
            try (InputStream in = new DigestInputStream(Files.newInputStream(upload.file()), md5)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setLastModifiedTime(tmp, FileTime.fromMillis(upload.mtimeMillis()));
            moveIntoPlace(tmp, target);
            return HexFormat.of().formatHex(md5.digest());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Files.createDirectories(target.getParent());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (NoSuchFileException e) {
                if (attempt >= 3) { // a concurrent delete removed the (then empty) parent: make it again
                    throw e;
                }
            }
        }
    }

    @Override
    public List<DeleteFailure> delete(List<String> keys) {
        List<DeleteFailure> failures = new ArrayList<>();
        for (String key : keys) {
            try {
                Path file = pathOf(key);
                Files.deleteIfExists(file);
                removeEmptyParents(file.getParent());
            } catch (IOException | RuntimeException e) {
                failures.add(new DeleteFailure(key, e.toString()));
            }
        }
        return failures;
    }

    private void removeEmptyParents(Path dir) throws IOException {
        for (Path d = dir; d != null && !d.equals(root) && d.startsWith(root); d = d.getParent()) {
            try {
                Files.deleteIfExists(d);
            } catch (DirectoryNotEmptyException e) {
                return;
            }
        }
    }

    @Override
    public void copy(String fromKey, String toKey) throws IOException {
        Path from = pathOf(fromKey);
        Path to = pathOf(toKey);
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    }

    @Override
    public Optional<Long> storedMtimeMillis(String key) {
        Path file;
        try {
            file = pathOf(key);
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.isRegularFile() ? Optional.of(a.lastModifiedTime().toMillis()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return "directory " + root;
    }

    /** The file of a key; refuses keys that would leave {@code root} or land in the temporary directory. */
    private Path pathOf(String key) throws IOException {
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IOException("key '" + key + "' cannot be a file under " + root);
            }
        }
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root) || file.startsWith(root.resolve(TMP_DIR))) {
            throw new IOException("key '" + key + "' cannot be a file under " + root);
        }
        return file;
    }

    private String keyOf(Path file) {
        String relative = root.relativize(file).toString();
        return file.getFileSystem().getSeparator().equals("/") ? relative : relative.replace(file.getFileSystem().getSeparator(), "/");
    }

    private static String md5(Path file) throws IOException {
        MessageDigest md5 = md5Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md5)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
