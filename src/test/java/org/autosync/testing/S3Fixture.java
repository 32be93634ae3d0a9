package org.autosync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.autosync.embedded.EmbeddedS3;
import org.autosync.job.JobSpec;
import org.autosync.job.MirrorJob;
import org.autosync.keys.KeyMapper;
import org.autosync.local.SourceFilter;
import org.autosync.safety.DeletePolicy;
import org.autosync.state.MvStoreSyncState;
import org.autosync.targets.Actor;
import org.autosync.targets.open.TargetFactory;
import org.autosync.targets.s3.S3Actor;
import org.autosync.targets.s3.S3ActorSettings;
import org.autosync.targets.s3.S3ClientFactory;
import org.autosync.targets.s3.S3ClientSettings;
import org.autosync.watch.WatchMode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server (S3Proxy, auth on) on 127.0.0.1, a client for it, and the jobs tests build against it.
 * As a JUnit extension ({@code @RegisterExtension static final S3Fixture s3 = new S3Fixture();}) it runs for
 * the test class and is stopped, its storage removed, after the class.
 */
public final class S3Fixture implements AutoCloseable, AfterAllCallback {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    public final EmbeddedS3 server;
    /** The server's store, counting requests (and able to slow parts down). */
    public final CountingBlobStore store;
    public final S3Client client;
    private final Path ownStorage;

    /** A server storing under a temporary directory of its own, removed when the fixture closes. */
    public S3Fixture() {
        this(createTempStorage(), true);
    }

    /** A server storing under {@code storage}, which the caller owns. */
    public S3Fixture(Path storage) {
        this(storage, false);
    }

    private S3Fixture(Path storage, boolean owned) {
        ownStorage = owned ? storage : null;
        CountingBlobStore.Counted counted = CountingBlobStore.start(EmbeddedS3.builder(storage));
        server = counted.server();
        store = counted.store();
        client = S3ClientFactory.create(new S3ClientSettings(server.endpoint(), server.region(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())), 8));
    }

    private static Path createTempStorage() {
        try {
            return Files.createTempDirectory("autosync-s3-fixture");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** This server as the runtime's default S3 service (bean {@code autosync-s3-defaults}) of {@code s3://} targets. */
    public TargetFactory.S3Defaults defaults() {
        return new TargetFactory.S3Defaults(server.endpoint(), server.region(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())), null);
    }

    public static String uniqueBucket(String stem) {
        return stem + "-" + SEQUENCE.incrementAndGet();
    }

    /** A job mirroring {@code source} (keys relative to it, under {@code targetPrefix}) into {@code bucket}. */
    public MirrorJob job(Path source, String bucket, String targetPrefix, Path stateDir, boolean continuous) {
        return job(source, bucket, targetPrefix, stateDir, continuous, DeletePolicy.defaults());
    }

    /** The same with a delete policy. */
    public MirrorJob job(Path source, String bucket, String targetPrefix, Path stateDir, boolean continuous,
                  DeletePolicy deletes) {
        return job(source, targetPrefix, stateDir, continuous, deletes, Duration.ZERO, s3Actor(bucket));
    }

    /** The same, uploading files only once their mtime is {@code settleTime} in the past. */
    public MirrorJob job(Path source, String bucket, String targetPrefix, Path stateDir, boolean continuous,
                  Duration settleTime) {
        return job(source, targetPrefix, stateDir, continuous, DeletePolicy.defaults(), settleTime, s3Actor(bucket));
    }

    /** The same with everything given. */
    public MirrorJob job(Path source, String targetPrefix, Path stateDir, boolean continuous, DeletePolicy deletes,
                  Duration settleTime, Actor actor) {
        return job(source, targetPrefix, stateDir, continuous, deletes, settleTime, actor, WatchMode.POLL,
                Duration.ofMillis(200));
    }

    /** A continuous job watching file-system events, re-scanning every {@code interval}. */
    public MirrorJob watchingJob(Path source, String bucket, Path stateDir, DeletePolicy deletes, Duration settleTime,
                          Duration interval) {
        return job(source, "m", stateDir, true, deletes, settleTime, s3Actor(bucket), WatchMode.EVENTS, interval);
    }

    /** A continuous job watching file-system events, uploading through {@code actor}. */
    public MirrorJob watchingJob(Path source, Path stateDir, Actor actor, Duration settleTime, Duration interval) {
        return job(source, "m", stateDir, true, DeletePolicy.defaults(), settleTime, actor, WatchMode.EVENTS, interval);
    }

    private MirrorJob job(Path source, String targetPrefix, Path stateDir, boolean continuous, DeletePolicy deletes,
                          Duration settleTime, Actor actor, WatchMode watch, Duration interval) {
        String id = "t" + SEQUENCE.incrementAndGet();
        JobSpec spec = new JobSpec(id, source, new KeyMapper(source.toString(), targetPrefix), SourceFilter.acceptAll(),
                false, false, 4, continuous, interval, Duration.ofHours(1), deletes, settleTime, watch);
        return new MirrorJob(spec, actor, new MvStoreSyncState(stateDir.resolve(id + ".mv.db")));
    }

    private S3Actor s3Actor(String bucket) {
        return new S3Actor(client, bucket, S3ActorSettings.defaults());
    }

    /** Key to content of every object; empty while the bucket does not exist yet. */
    public Map<String, String> contents(String bucket) {
        Map<String, String> contents = new TreeMap<>();
        if (client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
            return contents;
        }
        for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            try {
                contents.put(o.key(), client.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asString(StandardCharsets.UTF_8));
            } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
                // listed while being replaced or deleted: not there at this moment
            }
        }
        return contents;
    }

    @Override
    public void close() {
        client.close();
        server.close();
        if (ownStorage != null) {
            try (Stream<Path> paths = Files.walk(ownStorage)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
