package org.autosync.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.autosync.targets.Actor;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.Upload;

/**
 * An actor a program handed to {@link Autosync#run}: either one instance, shared by every source's job and left
 * open for its owner to close, or a factory that makes one actor per source, which Autosync closes.
 */
record ProvidedActor(Actor instance, Supplier<? extends Actor> factory) {

    static ProvidedActor of(Actor actor) {
        if (actor == null) {
            throw new IllegalArgumentException("actor must not be null");
        }
        return new ProvidedActor(actor, null);
    }

    static ProvidedActor of(Supplier<? extends Actor> factory) {
        if (factory == null) {
            throw new IllegalArgumentException("actor factory must not be null");
        }
        return new ProvidedActor(null, factory);
    }

    String name() {
        return instance != null ? instance.getClass().getName() : "the program's actor factory";
    }

    /** The caller's actor with {@link #close()} left to the caller. */
    record NotClosing(Actor delegate) implements Actor {
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
        public void validate() {
            delegate.validate();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void close() {
            // the caller owns the instance
        }
    }
}
