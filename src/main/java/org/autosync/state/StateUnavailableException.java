package org.autosync.state;

/**
 * The sync state cannot be read or written right now (its database is down or unreachable). Never the same as
 * "not recorded": a pass that meets it fails, deletes nothing, and the job reports it in its health until the
 * state is back. The message says where the state is (password masked) and why.
 */
public final class StateUnavailableException extends RuntimeException {

    public StateUnavailableException(String message) {
        super(message);
    }
}
