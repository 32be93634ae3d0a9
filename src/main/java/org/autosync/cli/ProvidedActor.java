package org.autosync.cli;

import java.util.function.Supplier;

import org.autosync.targets.Actor;

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
}
