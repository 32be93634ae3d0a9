package org.autosync.routes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.autosync.embedded.EmbeddedS3;
import org.autosync.job.JobSpec;
import org.autosync.job.MirrorJob;
import org.autosync.keys.KeyMapper;
import org.autosync.local.SourceFilter;
import org.autosync.safety.DeletePolicy;
import org.autosync.state.MvStoreSyncState;
import org.autosync.target.Actor;
import org.autosync.target.s3.S3Actor;
import org.autosync.target.s3.S3ActorSettings;
import org.autosync.target.s3.S3ClientFactory;
import org.autosync.target.s3.S3ClientSettings;
import org.autosync.watch.WatchMode;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A real S3 server (S3Proxy, auth on) on 127.0.0.1 and the jobs tests build against it. */
final class S3Fixture implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final EmbeddedS3 server;
    final S3Client client;

    S3Fixture(Path storage) {
        server = EmbeddedS3.start(storage);
        client = S3ClientFactory.create(new S3ClientSettings(server.endpoint(), server.region(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())), 8));
    }

    static String uniqueBucket(String stem) {
        return stem + "-" + SEQUENCE.incrementAndGet();
    }

    /** A job mirroring {@code source} (keys relative to it, under {@code targetPrefix}) into {@code bucket}. */
    MirrorJob job(Path source, String bucket, String targetPrefix, Path stateDir, boolean continuous) {
        return job(source, bucket, targetPrefix, stateDir, continuous, DeletePolicy.defaults());
    }

    /** The same with a delete policy. */
    MirrorJob job(Path source, String bucket, String targetPrefix, Path stateDir, boolean continuous,
                  DeletePolicy deletes) {
        return job(source, targetPrefix, stateDir, continuous, deletes, Duration.ZERO, s3Actor(bucket));
    }

    /** The same, uploading files only once their mtime is {@code settleTime} in the past. */
    MirrorJob job(Path source, String bucket, String targetPrefix, Path stateDir, boolean continuous,
                  Duration settleTime) {
        return job(source, targetPrefix, stateDir, continuous, DeletePolicy.defaults(), settleTime, s3Actor(bucket));
    }

    /** The same with everything given. */
    MirrorJob job(Path source, String targetPrefix, Path stateDir, boolean continuous, DeletePolicy deletes,
                  Duration settleTime, Actor actor) {
        return job(source, targetPrefix, stateDir, continuous, deletes, settleTime, actor, WatchMode.POLL,
                Duration.ofMillis(200));
    }

    /** A continuous job watching file-system events, re-scanning every {@code interval}. */
    MirrorJob watchingJob(Path source, String bucket, Path stateDir, DeletePolicy deletes, Duration settleTime,
                          Duration interval) {
        return job(source, "m", stateDir, true, deletes, settleTime, s3Actor(bucket), WatchMode.EVENTS, interval);
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
    Map<String, String> contents(String bucket) {
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
    }
}
