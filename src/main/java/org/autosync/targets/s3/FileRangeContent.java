package org.autosync.targets.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.autosync.errors.Causes;
import org.autosync.targets.FileChangedException;
import org.autosync.targets.Upload;

import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * A byte range of a file as a request body that the SDK can read as often as it needs ({@link ContentMd5}
 * reads it once to hash it, a retry reads it again): every {@link #newStream()} opens a fresh
 * channel at the offset. Nothing is buffered beyond the caller's read buffer, so heap use does not
 * depend on the file size. A stream that meets the end of the file before {@code length} bytes
 * fails with {@link FileChangedException}; {@link #readFailure} finds that (or another failed read) again in
 * what the SDK made of it.
 */
final class FileRangeContent implements ContentStreamProvider, AutoCloseable {

    private final Path file;
    private final long offset;
    private final long length;
    private final List<FileChannel> opened = new ArrayList<>();

    FileRangeContent(Path file, long offset, long length) {
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public synchronized InputStream newStream() {
        closeOpened();
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            opened.add(channel);
            return new RangeStream(channel, offset, length, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Throws {@link FileChangedException} when the file is no longer {@link Upload#size()} bytes long. */
    static void requireUnchangedSize(Upload upload) throws IOException {
        long now = Files.size(upload.file());
        if (now != upload.size()) {
            throw new FileChangedException(upload.file(), "size " + now + ", expected " + upload.size());
        }
    }

    /**
     * The IOException the SDK wrapped while sending a file range (the file changed or could not be read), to
     * throw instead of {@code e}; else rethrows {@code e}.
     */
    static IOException readFailure(RuntimeException e) {
        Optional<FileChangedException> changed = Causes.find(FileChangedException.class, e);
        if (changed.isPresent()) {
            FileChangedException fc = changed.get();
            return new FileChangedException(fc.file(), fc.getMessage().replaceFirst("^.*\\((.*)\\)$", "$1"));
        }
        Optional<UncheckedIOException> unreadable = Causes.find(UncheckedIOException.class, e).filter(u -> u.getCause() != null);
        if (unreadable.isPresent()) {
            return unreadable.get().getCause();
        }
        throw e;
    }

    @Override
    public String name() {
        return "FileRange";
    }

    @Override
    public synchronized void close() {
        closeOpened();
    }

    private void closeOpened() {
        for (FileChannel channel : opened) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only channel
            }
        }
        opened.clear();
    }

    /** Reads {@code length} bytes from {@code offset} with positional reads; never past the range. */
    private static final class RangeStream extends InputStream {
        private final FileChannel channel;
        private final Path file;
        private final long end;
        private long position;

        RangeStream(FileChannel channel, long offset, long length, Path file) {
            this.channel = channel;
            this.file = file;
            this.position = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long remaining = end - position;
            if (remaining <= 0) {
                return -1;
            }
            int want = (int) Math.min(len, remaining);
            int n = channel.read(ByteBuffer.wrap(b, off, want), position);
            if (n < 0) {
                throw new FileChangedException(file, "ended at byte " + position + ", expected at least " + end);
            }
            position += n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, end - position));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
