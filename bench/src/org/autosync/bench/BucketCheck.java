package org.autosync.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Checks that a bucket equals a tree: the same keys (paths relative to the tree), sizes and MD5s. A single-part
 * object's ETag is its MD5; a multipart object's is not, so that object is downloaded and hashed.
 */
final class BucketCheck {

    /** A file as the bucket should hold it. */
    record Expected(long size, String md5) {
    }

    private final S3Client client;

    BucketCheck(S3Client client) {
        this.client = client;
    }

    /** Reads the tree once; compare several buckets against the result. */
    static Map<String, Expected> manifest(Path root) throws IOException {
        Map<String, Expected> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                try (InputStream in = Files.newInputStream(file)) {
                    files.put(root.relativize(file).toString(), new Expected(Files.size(file), md5(in)));
                }
            }
        }
        return files;
    }

    /** The differences, at most a few, described; empty when the bucket equals the tree. */
    List<String> differences(String bucket, Map<String, Expected> tree) {
        List<String> problems = new ArrayList<>();
        Map<String, Expected> missing = new TreeMap<>(tree);
        for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            Expected expected = missing.remove(object.key());
            if (expected == null) {
                problems.add("extra object " + object.key());
            } else if (expected.size() != object.size()) {
                problems.add(object.key() + ": size " + object.size() + ", file has " + expected.size());
            } else if (!expected.md5().equals(contentMd5(bucket, object))) {
                problems.add(object.key() + ": content differs from the file");
            }
        }
        missing.keySet().forEach(key -> problems.add("missing object " + key));
        return problems.size() > 5 ? List.of(String.join("; ", problems.subList(0, 5)) + "; and "
                + (problems.size() - 5) + " more") : problems;
    }

    private String contentMd5(String bucket, S3Object object) {
        String etag = object.eTag().replace("\"", "");
        if (!etag.contains("-")) {
            return etag;
        }
        try (InputStream in = client.getObject(b -> b.bucket(bucket).key(object.key()))) {
            return md5(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String md5(InputStream in) throws IOException {
        try {
            DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("MD5"));
            digest.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
