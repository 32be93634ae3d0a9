package org.autosync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.autosync.targets.Actor;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.Upload;

/**
 * A target that stores nothing, for tracking a million files without a million PUTs. It counts uploads and
 * appends to its {@code report} file: {@code initial N} once {@code expect} uploads were made, then one
 * {@code upload KEY} line per later upload (the change events the bench makes).
 */
public class CountingActor implements Actor {

    private final AtomicLong uploads = new AtomicLong();
    private Path report;
    private long expect;

    public void setReport(String report) {
        this.report = Path.of(report);
    }

    public void setExpect(long expect) {
        this.expect = expect;
    }

    @Override
    public void validate() {
        if (report == null || expect < 1) {
            throw new IllegalArgumentException("set report (a file) and expect (the initial number of files)");
        }
    }

    @Override
    public RemoteListing list(String prefix) {
        return RemoteListing.of(Collections.emptyIterator(), true);
    }

    @Override
    public String upload(Upload upload) {
        long n = uploads.incrementAndGet();
        if (n == expect) {
            append("initial " + n);
        } else if (n > expect) {
            append("upload " + upload.key());
        }
        return null;
    }

    @Override
    public List<DeleteFailure> delete(List<String> keys) {
        return List.of();
    }

    @Override
    public Optional<Long> storedMtimeMillis(String key) {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "counting actor (stores nothing)";
    }

    private synchronized void append(String line) {
        try {
            Files.writeString(report, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
