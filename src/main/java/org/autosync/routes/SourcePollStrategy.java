package org.autosync.routes;

import java.nio.file.Path;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.autosync.errors.Causes;
import org.autosync.state.StateUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Poll strategy and consumer exception handler of the file route: when the source directory vanishes
 * (unmounted, renamed away), one WARN line when it goes and one INFO line when it is back, instead of a
 * stack trace on every poll.
 * The re-scan only uploads; deletes are the reconciliation's, which refuses them while the source is gone.
 */
public final class SourcePollStrategy implements PollingConsumerPollStrategy, ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SourcePollStrategy.class);

    private final String jobId;
    private final Path source;
    private volatile boolean failing;

    public SourcePollStrategy(String jobId, Path source) {
        this.jobId = jobId;
        this.source = source;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        if (failing) {
            failing = false;
            LOG.info("{}: the source {} can be read again; re-scans resume", jobId, source);
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        if (stateUnavailable(cause)) { // not the source's fault: the state warned once, re-scans go on trying
            LOG.debug("{}: re-scan of {} skipped: {}", jobId, source, cause.getMessage());
            return false;
        }
        if (!failing) {
            failing = true;
            LOG.warn("{}: cannot re-scan the source {}: {}; nothing is deleted while it is unavailable, "
                    + "re-scans go on trying", jobId, source, cause.getMessage());
        } else {
            LOG.debug("{}: source {} still unavailable: {}", jobId, source, cause.getMessage());
        }
        return false;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    /** The consumer's own report of a failed poll was already logged once by {@link #rollback}. */
    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if ((failing && message != null && message.startsWith("Failed polling")) || stateUnavailable(exception)) {
            LOG.debug("{}: {}", jobId, message, exception);
        } else {
            LOG.warn("{}: re-scan of {}: {}{}", jobId, source, message == null ? "" : message + ": ",
                    exception == null ? "" : exception.getMessage());
            LOG.debug("{}: re-scan failure", jobId, exception);
        }
    }

    private static boolean stateUnavailable(Throwable cause) {
        return Causes.find(StateUnavailableException.class, cause).isPresent();
    }

    /** Whether the last re-scan failed. */
    public boolean failing() {
        return failing;
    }
}
