package org.autosync.targets.swift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.autosync.targets.RemoteListing;
import org.autosync.targets.Upload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timeouts and retries of {@link SwiftClient} against {@link ScriptedSwift}, a real HTTP server on 127.0.0.1 that
 * answers a script: never, with errors, or dropping the connection.
 */
class SwiftTimeoutsAndRetriesTest {

    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final int ATTEMPTS = SwiftHttp.MAX_ATTEMPTS;
    /** Every attempt waits at most the timeout; the backoffs in between at most BASE_DELAY * (1 + 2 + ...). */
    static final Duration BOUND = TIMEOUT.multipliedBy(ATTEMPTS)
            .plus(SwiftHttp.BASE_DELAY.multipliedBy((1L << (ATTEMPTS - 1)) - 1))
            .plus(Duration.ofSeconds(2)); // slack for a loaded machine
    static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";

    @TempDir
    Path work;
    ScriptedSwift swift;
    SwiftActor actor;
    ExecutorService caller = Executors.newSingleThreadExecutor();

    @BeforeEach
    void start() throws Exception {
        swift = new ScriptedSwift();
        // a fixed large-object threshold: no GET /info
        actor = new SwiftActor(SwiftSettings.of(swift.authUrl(), "test:tester", "testing", "c").withTimeout(TIMEOUT)
                .withLargeObjects(1L << 40, 0).withListLimit(1));
    }

    @AfterEach
    void stop() throws Exception {
        caller.shutdownNow();
        swift.close();
    }

    private Path file(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(work.resolve(name), bytes);
    }

    private static String md5(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }

    private static List<String> listAll(SwiftActor actor) {
        List<String> keys = new ArrayList<>();
        try (RemoteListing l = actor.list("")) {
            l.forEachRemaining(o -> keys.add(o.key()));
        }
        return keys;
    }

    /** Runs {@code call} (in another thread, so that a hang fails the test instead of stalling it) and times it. */
    private Duration failsWithin(Callable<?> call) throws Exception {
        long start = System.nanoTime();
        Future<?> f = caller.submit(call);
        assertThatThrownBy(() -> f.get(BOUND.toMillis() + 5000, TimeUnit.MILLISECONDS))
                .isInstanceOf(java.util.concurrent.ExecutionException.class);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private int requestsTo(String method) {
        return (int) swift.swiftRequests().stream().filter(r -> r.method().equals(method)).count();
    }

    @Test
    void anUploadAndAListingToAServerThatNeverAnswersFailWithinTheTimeoutAndTheNextCallSucceeds() throws Exception {
        // the object is not there yet (HEAD 404); listings and uploads are accepted and never answered
        swift.script = r -> r.method().equals("HEAD") ? ScriptedSwift.Answer.of(404, "") : ScriptedSwift.Answer.hang();
        Path small = file("small", 1000);            // sent whole, then the answer never comes
        Path big = file("big", 32 * 1024 * 1024);    // more than the socket buffers: the body itself stalls

        Duration listing = failsWithin(() -> listAll(actor));
        assertThat(requestsTo("GET")).as("each attempt reached the server").isEqualTo(ATTEMPTS);
        Duration upload = failsWithin(() -> actor.upload(new Upload("small", small, 1000, 0, null, Map.of())));
        assertThat(requestsTo("PUT")).isEqualTo(ATTEMPTS);
        Duration stalled = failsWithin(() -> actor.upload(new Upload("big", big, Files.size(big), 0, null, Map.of())));
        assertThat(requestsTo("PUT")).isEqualTo(2 * ATTEMPTS);
        for (Duration d : List.of(listing, upload, stalled)) {
            assertThat(d).isGreaterThanOrEqualTo(TIMEOUT.multipliedBy(ATTEMPTS)).isLessThan(BOUND);
        }

        swift.script = r -> switch (r.method()) {
            case "HEAD" -> ScriptedSwift.Answer.of(404, "");
            case "PUT" -> ScriptedSwift.Answer.of(201, Map.of("ETag", md5Quietly(small)), "");
            default -> ScriptedSwift.Answer.of(200, "[]");
        };
        assertThat(listAll(actor)).isEmpty();
        assertThat(actor.upload(new Upload("small", small, 1000, 0, null, Map.of()))).isEqualTo(md5(small));
    }

    private static String md5Quietly(Path file) {
        try {
            return md5(file);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void listingPagesAreRetriedAfter503And429And498AndADroppedConnection() throws Exception {
        // listLimit 1: pages [a] [b] [c] [d] [], each but the first fails once before it is served
        AtomicInteger seen = new AtomicInteger();
        List<ScriptedSwift.Answer> answers = List.of(
                ScriptedSwift.Answer.of(200, "[{\"name\":\"a\",\"bytes\":1,\"hash\":\"h\"}]"),
                ScriptedSwift.Answer.of(503, "busy"),
                ScriptedSwift.Answer.of(200, "[{\"name\":\"b\",\"bytes\":1,\"hash\":\"h\"}]"),
                ScriptedSwift.Answer.of(429, "too many"),
                ScriptedSwift.Answer.of(200, "[{\"name\":\"c\",\"bytes\":1,\"hash\":\"h\"}]"),
                ScriptedSwift.Answer.drop(),
                ScriptedSwift.Answer.of(200, "[{\"name\":\"d\",\"bytes\":1,\"hash\":\"h\"}]"),
                ScriptedSwift.Answer.of(498, "slow down"),
                ScriptedSwift.Answer.of(200, "[]"));
        swift.script = r -> answers.get(seen.getAndIncrement());

        assertThat(listAll(actor)).containsExactly("a", "b", "c", "d");
        assertThat(requestsTo("GET")).as("5 pages and 4 retries").isEqualTo(9);
        assertThat(swift.swiftRequests().get(2).target()).as("the retry asks for the same page")
                .isEqualTo(swift.swiftRequests().get(1).target()).contains("marker=a");
    }

    @Test
    void retriesAreBoundedAndTheLastAnswerIsTheFailure() throws Exception {
        swift.script = r -> ScriptedSwift.Answer.of(503, "busy");
        assertThatThrownBy(() -> listAll(actor)).hasMessageContaining("503");
        assertThat(requestsTo("GET")).isEqualTo(ATTEMPTS);
    }

    @Test
    void anUploadIsSentWholeAgainAfterA503() throws Exception {
        Path f = file("f", 300_000);
        AtomicInteger puts = new AtomicInteger();
        swift.script = r -> r.method().equals("HEAD") ? ScriptedSwift.Answer.of(404, "")
                : puts.incrementAndGet() == 1 ? ScriptedSwift.Answer.of(503, "busy")
                : ScriptedSwift.Answer.of(201, Map.of("ETag", md5Quietly(f)), "");

        assertThat(actor.upload(new Upload("f", f, 300_000, 0, null, Map.of()))).isEqualTo(md5(f));

        assertThat(swift.swiftRequests().stream().filter(r -> r.method().equals("PUT"))).hasSize(2).allSatisfy(r -> {
            assertThat(r.bodyMd5()).isEqualTo(md5(f)).isNotEqualTo(EMPTY_MD5);
        });
    }
}
