package org.autosync.job;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.camel.RuntimeCamelException;
import org.autosync.errors.Causes;
import org.autosync.targets.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker of one job's target: the job's upload route runs its uploads through it (Camel's
 * {@code circuitBreaker} EIP, bean {@code <job>-breaker}). After {@link Settings#failures()} transient failures in a
 * row ({@link Actor#isTransient}; a permanent failure means the target answered, so it counts as a success here) the
 * breaker opens: for {@link Settings#openFor()} no upload is sent (and none is recorded, so the next re-scan or pass
 * sends it again); then one upload is let through as a probe, which closes the breaker or opens it again.
 * <p>
 * Reports to the job: one WARN line and {@link JobHealth.Status#TARGET_UNAVAILABLE} when it opens, one INFO line and
 * the health back when it closes; a probe that fails again logs at DEBUG only.
 */
public final class TargetBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(TargetBreaker.class);

    /**
     * @param failures transient failures in a row that open the breaker (at least 1)
     * @param openFor  how long it stays open before one upload probes the target (positive)
     */
    public record Settings(int failures, Duration openFor) {

        public static final int DEFAULT_FAILURES = 5;
        public static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(30);

        public Settings {
            if (failures < 1) {
                throw new IllegalArgumentException("failures must be at least 1, was " + failures);
            }
            Objects.requireNonNull(openFor, "openFor");
            if (openFor.isZero() || openFor.isNegative()) {
                throw new IllegalArgumentException("openFor must be positive, was " + openFor);
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_FAILURES, DEFAULT_OPEN_FOR);
        }
    }

    private final String jobId;
    private final Actor actor;
    private final Settings settings;
    private final CircuitBreaker breaker;
    private final AtomicReference<Throwable> lastFailure = new AtomicReference<>();

    /**
     * @param unavailable told when the breaker opens, with one line for a user
     * @param available   told when a probe went through and the breaker closed
     */
    TargetBreaker(String jobId, Actor actor, Settings settings, Consumer<String> unavailable, Runnable available) {
        this.jobId = jobId;
        this.actor = actor;
        this.settings = settings;
        // count based: the last `failures` calls, all of them failed; one call in half-open decides
        this.breaker = CircuitBreaker.of("autosync-" + jobId, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.failures())
                .minimumNumberOfCalls(settings.failures())
                .failureRateThreshold(100)
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(this::isTransient)
                .writableStackTraceEnabled(false)
                .build());
        breaker.getEventPublisher()
                .onError(e -> lastFailure.set(e.getThrowable()))
                .onStateTransition(e -> transition(e.getStateTransition(), unavailable, available));
    }

    /** The resilience4j breaker the upload route's {@code circuitBreaker} EIP uses. */
    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    public Settings settings() {
        return settings;
    }

    /** Whether uploads are held back now (open, or half-open with its probe under way). */
    public boolean holdsBack() {
        CircuitBreaker.State state = breaker.getState();
        return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.HALF_OPEN;
    }

    /** Whether {@code failure} is the breaker refusing an upload (no request was sent), however Camel wrapped it. */
    public static boolean isHeldBack(Throwable failure) {
        return failure != null && Causes.find(CallNotPermittedException.class, failure).isPresent();
    }

    /** The failure as the actor threw it, without the wrapper Camel's circuit breaker adds to checked exceptions. */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof RuntimeCamelException && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private boolean isTransient(Throwable failure) {
        return actor.isTransient(unwrap(failure));
    }

    private void transition(CircuitBreaker.StateTransition transition, Consumer<String> unavailable, Runnable available) {
        switch (transition) {
            case CLOSED_TO_OPEN -> {
                Throwable failure = lastFailure.get();
                String why = actor.describe() + " is unavailable: " + settings.failures()
                        + " upload(s) in a row failed, the last with: " + (failure == null ? "unknown error"
                        : actor.explain(unwrap(failure)));
                LOG.warn("{}: {}; no uploads are sent for {} s, then one is tried (the others are sent again by the "
                        + "next re-scan or pass)", jobId, why, settings.openFor().toSeconds());
                unavailable.accept(why);
            }
            case HALF_OPEN_TO_OPEN -> LOG.debug("{}: {} still unavailable; trying again in {} s", jobId,
                    actor.describe(), settings.openFor().toSeconds());
            case HALF_OPEN_TO_CLOSED -> {
                LOG.info("{}: {} is available again; uploads resume", jobId, actor.describe());
                available.run();
            }
            default -> LOG.debug("{}: circuit breaker of {}: {}", jobId, actor.describe(), transition);
        }
    }
}
