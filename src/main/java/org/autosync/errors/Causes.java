package org.autosync.errors;

import java.util.Optional;

import org.apache.camel.util.ObjectHelper;

/** The one way Autosync walks an exception's causes: all of them, the first of a type, or the root. */
public final class Causes {

    private Causes() {
    }

    /** The first throwable of {@code type} in the chain of {@code failure} (itself included), if any. */
    public static <T extends Throwable> Optional<T> find(Class<T> type, Throwable failure) {
        return Optional.ofNullable(ObjectHelper.getException(type, failure));
    }

    /** The throwable and its causes, outermost first. */
    public static Iterable<Throwable> chain(Throwable failure) {
        return ObjectHelper.createExceptionIterable(failure);
    }

    /** The last cause in the chain (the throwable itself when it has none); safe against self-referencing causes. */
    public static Throwable root(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t.getCause() != null && t.getCause() != t && depth < 64; depth++) {
            t = t.getCause();
        }
        return t;
    }

    /** The root cause's message, or its class name when it has none: the line a user reads. */
    public static String rootMessage(Throwable failure) {
        Throwable root = root(failure);
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
