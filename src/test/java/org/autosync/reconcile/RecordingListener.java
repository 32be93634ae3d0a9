package org.autosync.reconcile;

import org.autosync.local.LocalFile;
import org.autosync.targets.RemoteObject;

import java.util.ArrayList;
import java.util.List;

/** Records merge outcomes as readable lines, e.g. {@code "local a"}, {@code "remote b"}, {@code "both c"}. */
final class RecordingListener implements MergeListener {

    final List<String> events = new ArrayList<>();

    @Override
    public void onlyLocal(LocalFile local) {
        events.add("local " + local.key());
    }

    @Override
    public void onlyRemote(RemoteObject remote) {
        events.add("remote " + remote.key());
    }

    @Override
    public void both(LocalFile local, RemoteObject remote) {
        if (!local.key().equals(remote.key())) {
            throw new AssertionError("both() with different keys: " + local.key() + " / " + remote.key());
        }
        events.add("both " + local.key());
    }
}
