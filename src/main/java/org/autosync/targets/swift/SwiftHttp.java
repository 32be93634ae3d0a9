package org.autosync.targets.swift;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.autosync.errors.Causes;
import org.autosync.targets.FileChangedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Swift HTTP exchange under an idle timeout, and the retry policy around it.
 *
 * <p><b>Idle timeout.</b> {@code HttpRequest.timeout} runs from the start of an exchange until the response
 * headers: on an upload it would cut off a slow body that is still moving, and without it a server that takes a
 * body and never answers holds the thread forever. So the exchange is sent asynchronously and watched: every
 * chunk of request body the client takes, the response headers and every chunk of response body count as
 * progress; when nothing moved for the timeout ({@link SwiftSettings#timeout()}), the exchange is cancelled
 * ({@code cancel(true)} aborts it) and fails with an {@link HttpTimeoutException}. Connecting has the client's
 * connect timeout.
 *
 * <p><b>Retries</b>, the S3 side's policy ({@code S3ClientFactory}: {@code MAX_ATTEMPTS} 3,
 * {@code BackoffStrategy.exponentialDelay(200 ms, 10 s)}, which is full jitter): at most {@value #MAX_ATTEMPTS}
 * attempts; before attempt n+1 a uniformly random pause in [0, min(10 s, 200 ms * 2^(n-1))]. Retried are 5xx,
 * 429, 498 (Swift's ratelimit) and I/O errors (timeouts, refused or dropped connections), but not an interrupt,
 * nor a source file that vanished or changed. Every attempt builds a fresh request, so a file body is re-opened
 * and sent whole. The last answer or failure is the caller's.
 */
final class SwiftHttp {

    private static final Logger LOG = LoggerFactory.getLogger(SwiftHttp.class);

    static final int MAX_ATTEMPTS = 3;
    static final Duration BASE_DELAY = Duration.ofMillis(200);
    static final Duration MAX_DELAY = Duration.ofSeconds(10);

    /** Builds the request of one attempt, with a freshly opened body. */
    @FunctionalInterface
    interface Attempt {
        HttpRequest request() throws IOException;
    }

    private final HttpClient http;
    private final Duration idleTimeout;

    SwiftHttp(HttpClient http, Duration idleTimeout) {
        this.http = http;
        this.idleTimeout = idleTimeout;
    }

    <T> HttpResponse<T> send(Attempt attempt, HttpResponse.BodyHandler<T> handler) throws IOException {
        for (int n = 1; ; n++) {
            HttpRequest request = attempt.request();
            try {
                HttpResponse<T> response = once(request, handler);
                if (n >= MAX_ATTEMPTS || !retryable(response.statusCode())) {
                    return response;
                }
                LOG.debug("{} {} answered {}; attempt {} of {} follows", request.method(), request.uri().getPath(),
                        response.statusCode(), n + 1, MAX_ATTEMPTS);
            } catch (IOException e) {
                if (n >= MAX_ATTEMPTS || !retryable(e)) {
                    throw e;
                }
                LOG.debug("{} {} failed: {}; attempt {} of {} follows", request.method(), request.uri().getPath(), e,
                        n + 1, MAX_ATTEMPTS);
            }
            pause(n);
        }
    }

    static boolean retryable(int status) {
        return status / 100 == 5 || status == 429 || status == 498;
    }

    static boolean retryable(IOException e) {
        return !(e instanceof InterruptedIOException) && !(e instanceof FileChangedException)
                && Causes.find(FileSystemException.class, e).isEmpty() && !Thread.currentThread().isInterrupted();
    }

    private static void pause(int attempt) throws InterruptedIOException {
        long cap = Math.min(MAX_DELAY.toMillis(), BASE_DELAY.toMillis() << Math.min(attempt - 1, 20));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    /** One exchange; fails when neither the request body nor the response moved for the idle timeout. */
    private <T> HttpResponse<T> once(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        HttpRequest watched = request.bodyPublisher().map(body -> HttpRequest.newBuilder(request, (k, v) -> true)
                .method(request.method(), new WatchedBody(body, lastProgress)).build()).orElse(request);
        CompletableFuture<HttpResponse<T>> future = http.sendAsync(watched, info -> {
            lastProgress.set(System.nanoTime());
            return new WatchedResponse<>(handler.apply(info), lastProgress);
        });
        try {
            while (true) {
                long left = idleTimeout.toNanos() - (System.nanoTime() - lastProgress.get());
                if (left <= 0) {
                    future.cancel(true);
                    throw new HttpTimeoutException("no progress for " + idleTimeout.toMillis() + " ms: "
                            + request.method() + " " + request.uri().getPath());
                }
                try {
                    return future.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // look again: something may have moved in the meantime
                }
            }
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: " + request.method() + " " + request.uri().getPath());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    /** The request body, noting every chunk the client takes. */
    private record WatchedBody(HttpRequest.BodyPublisher body, AtomicLong lastProgress)
            implements HttpRequest.BodyPublisher {
        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            body.subscribe(new Flow.Subscriber<ByteBuffer>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    lastProgress.set(System.nanoTime());
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    subscriber.onError(throwable);
                }

                @Override
                public void onComplete() {
                    lastProgress.set(System.nanoTime());
                    subscriber.onComplete();
                }
            });
        }
    }

    /** The response body, noting every chunk that arrives. */
    private record WatchedResponse<T>(HttpResponse.BodySubscriber<T> body, AtomicLong lastProgress)
            implements HttpResponse.BodySubscriber<T> {
        @Override
        public CompletionStage<T> getBody() {
            return body.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            body.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            lastProgress.set(System.nanoTime());
            body.onNext(item);
        }

        @Override
        public void onError(Throwable throwable) {
            body.onError(throwable);
        }

        @Override
        public void onComplete() {
            body.onComplete();
        }
    }
}
