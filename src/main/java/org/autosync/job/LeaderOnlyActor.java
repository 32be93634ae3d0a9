package org.autosync.job;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.autosync.targets.Actor;
import org.autosync.targets.ForwardingActor;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;
import org.autosync.targets.Upload;

/**
 * The actor of a clustered job: every request to the target first asks whether this node leads the job, and a
 * standby's is refused with {@link NotLeadingException} before anything is sent. A listing also asks before each
 * object it yields, so a pass stops at once when leadership is lost mid-listing (a page already requested may
 * still arrive). Requests already sent are not interrupted.
 */
final class LeaderOnlyActor extends ForwardingActor {

    private final String jobId;
    private final BooleanSupplier leading;

    LeaderOnlyActor(Actor delegate, String jobId, BooleanSupplier leading) {
        super(delegate);
        this.jobId = jobId;
        this.leading = leading;
    }

    private void check() {
        if (!leading.getAsBoolean()) {
            throw new NotLeadingException(jobId);
        }
    }

    @Override
    public RemoteListing list(String prefix) {
        check();
        RemoteListing listing = delegate.list(prefix);
        return new RemoteListing() {
            @Override
            public boolean alreadySorted() {
                return listing.alreadySorted();
            }

            @Override
            public boolean hasNext() {
                check();
                return listing.hasNext();
            }

            @Override
            public RemoteObject next() {
                check();
                return listing.next();
            }

            @Override
            public void close() {
                listing.close();
            }
        };
    }

    @Override
    public String upload(Upload upload) throws IOException {
        check();
        return delegate.upload(upload);
    }

    @Override
    public List<DeleteFailure> delete(List<String> keys) {
        check();
        return delegate.delete(keys);
    }

    @Override
    public void copy(String fromKey, String toKey) throws IOException {
        check();
        delegate.copy(fromKey, toKey);
    }

    @Override
    public Optional<Long> storedMtimeMillis(String key) {
        check();
        return delegate.storedMtimeMillis(key);
    }

    @Override
    public boolean isTransient(Throwable failure) {
        return !(failure instanceof NotLeadingException) && delegate.isTransient(failure);
    }

    @Override
    public String explain(Throwable failure) {
        return failure instanceof NotLeadingException ? failure.getMessage() : delegate.explain(failure);
    }
}
