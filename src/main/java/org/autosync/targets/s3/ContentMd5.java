package org.autosync.targets.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.autosync.targets.FileChangedException;
import org.autosync.targets.Upload;

import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * The {@code Content-MD5} header of an upload: the base64 MD5 of the exact bytes sent, which the server checks
 * before it stores them (a mismatch is refused with {@code BadDigest}). With it a PUT is signed with
 * {@code UNSIGNED-PAYLOAD} ({@link Md5PayloadAuthScheme}), so the body is hashed once here instead of with SHA-256
 * by the signer and again by the server. A body below {@link #IN_MEMORY_LIMIT} is read once into memory, hashed
 * and sent from there; a larger one (a big single PUT, a multipart part) is hashed in one pass over its file range
 * and then streamed from the file again, as the signer's hash pass did before.
 */
final class ContentMd5 {

    /** Bodies up to this size are read into memory once (at most {@code threads} of them at a time). */
    static final long IN_MEMORY_LIMIT = 1024L * 1024L;

    private ContentMd5() {
    }

    /** A body the SDK can read as often as it needs, with its MD5; closing it closes the file it streams from. */
    record Body(ContentStreamProvider content, String md5, FileRangeContent file) implements AutoCloseable {
        @Override
        public void close() {
            if (file != null) {
                file.close();
            }
        }
    }

    /**
     * {@code length} bytes of the upload's file from {@code offset}: read into memory when small, else hashed in one
     * pass and streamed from the file when sent.
     *
     * @throws FileChangedException when the file ends before the range does
     */
    static Body of(Upload upload, long offset, long length) throws IOException {
        FileRangeContent range = new FileRangeContent(upload.file(), offset, length);
        try {
            if (length <= IN_MEMORY_LIMIT) {
                byte[] bytes;
                try (InputStream in = range.newStream()) {
                    bytes = in.readNBytes((int) length);
                } finally {
                    range.close();
                }
                if (bytes.length < length) {
                    throw new FileChangedException(upload.file(), "ended at byte " + (offset + bytes.length)
                            + ", expected at least " + (offset + length));
                }
                MessageDigest md5 = md5();
                md5.update(bytes);
                return new Body(ContentStreamProvider.fromByteArrayUnsafe(bytes), encode(md5), null);
            }
            MessageDigest md5 = md5();
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = range.newStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    md5.update(buffer, 0, n);
                }
            }
            return new Body(range, encode(md5), range);
        } catch (UncheckedIOException e) {
            range.close();
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            range.close();
            throw e;
        }
    }

    private static String encode(MessageDigest md5) {
        return Base64.getEncoder().encodeToString(md5.digest());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5", e);
        }
    }
}
