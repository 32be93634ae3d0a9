package org.autosync.cli;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT as an orderly stop rather than a JVM shutdown: the JVM's default handler would
 * exit with 143 (130) even when every shutdown hook completed. Here the first signal runs
 * {@code onStop} (stop taking work, end camel-main), so {@code Main.run()} returns, resources close in
 * order and the process exits with its own code. If that has not happened within the shutdown timeout
 * plus a margin, or on a second signal, the process halts with exit 1.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    static final Duration MARGIN = Duration.ofSeconds(15);

    private final AtomicReference<String> received = new AtomicReference<>();

    private StopSignals() {
    }

    static StopSignals install(Runnable onStop, Duration shutdownTimeout) {
        StopSignals signals = new StopSignals();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signals.onSignal(s.getName(), onStop, shutdownTimeout));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return signals;
    }

    private void onSignal(String name, Runnable onStop, Duration shutdownTimeout) {
        if (!received.compareAndSet(null, "SIG" + name)) {
            System.err.println("autosync: second signal (SIG" + name + "): exiting now");
            Runtime.getRuntime().halt(ExitCode.TRANSFER_FAILED);
            return;
        }
        LOG.info("SIG{}: stopping; uploads in flight get up to {} s to finish", name, shutdownTimeout.toSeconds());
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(shutdownTimeout.plus(MARGIN).toMillis());
                System.err.println("autosync: did not stop within --shutdown_timeout (" + shutdownTimeout.toSeconds()
                        + " s) plus " + MARGIN.toSeconds() + " s; exiting now");
                Runtime.getRuntime().halt(ExitCode.TRANSFER_FAILED);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "autosync-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Thread stopper = new Thread(onStop, "autosync-stop");
        stopper.setDaemon(true);
        stopper.start();
    }

    boolean received() {
        return received.get() != null;
    }

    String signal() {
        return received.get();
    }
}
