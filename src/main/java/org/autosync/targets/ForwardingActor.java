package org.autosync.targets;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * An actor that hands every call to another one; subclasses override what they change (a wrapper that
 * leaves closing to its owner, a test double that fails some uploads, ...).
 */
public abstract class ForwardingActor implements Actor {

    protected final Actor delegate;

    protected ForwardingActor(Actor delegate) {
        this.delegate = delegate;
    }

    @Override
    public RemoteListing list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public String upload(Upload upload) throws IOException {
        return delegate.upload(upload);
    }

    @Override
    public List<DeleteFailure> delete(List<String> keys) {
        return delegate.delete(keys);
    }

    @Override
    public void copy(String fromKey, String toKey) throws IOException {
        delegate.copy(fromKey, toKey);
    }

    @Override
    public void useJournal(MultipartJournal journal) {
        delegate.useJournal(journal);
    }

    @Override
    public Optional<Long> storedMtimeMillis(String key) {
        return delegate.storedMtimeMillis(key);
    }

    @Override
    public String explain(Throwable failure) {
        return delegate.explain(failure);
    }

    @Override
    public boolean isConfigurationError(Throwable failure) {
        return delegate.isConfigurationError(failure);
    }

    @Override
    public boolean isTransient(Throwable failure) {
        return delegate.isTransient(failure);
    }

    @Override
    public void validate() {
        delegate.validate();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
