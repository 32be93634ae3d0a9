package org.autosync.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autosync.embedded.EmbeddedS3;
import org.autosync.targets.s3.S3ClientFactory;
import org.autosync.targets.s3.S3ClientSettings;
import org.autosync.testing.CountingBlobStore;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 server both tools write to (S3Proxy with auth on, counting requests), and the bench's own client. */
final class Lab implements AutoCloseable {

    private final EmbeddedS3 server;
    private final CountingBlobStore store;
    private final S3Client client;

    Lab(Path storage, boolean inMemory) {
        CountingBlobStore.Counted counted = CountingBlobStore.start(EmbeddedS3.builder(storage).inMemory(inMemory));
        server = counted.server();
        store = counted.store();
        client = S3ClientFactory.create(new S3ClientSettings(server.endpoint(), server.region(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())), 16));
    }

    EmbeddedS3 server() {
        return server;
    }

    /** The server's store: it counts requests and reports stored objects. */
    CountingBlobStore store() {
        return store;
    }

    S3Client client() {
        return client;
    }

    /** Creates an empty bucket before a tool runs, so neither tool pays for creating it. */
    String bucket(String name) {
        client.createBucket(b -> b.bucket(name));
        return name;
    }

    /** Empties and removes a bucket no later step needs (keeps a filesystem store's listings small). */
    void drop(String bucket) {
        List<ObjectIdentifier> batch = new ArrayList<>();
        for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            batch.add(ObjectIdentifier.builder().key(object.key()).build());
            if (batch.size() == 1000) {
                deleteBatch(bucket, batch);
            }
        }
        deleteBatch(bucket, batch);
        client.deleteBucket(b -> b.bucket(bucket));
    }

    private void deleteBatch(String bucket, List<ObjectIdentifier> batch) {
        if (!batch.isEmpty()) {
            List<ObjectIdentifier> keys = List.copyOf(batch);
            client.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys)));
            batch.clear();
        }
    }

    void resetCounts() {
        store.resetCounts();
    }

    /** Requests since the last reset, without zeros and without the MULTIPART total (its parts are listed). */
    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>(store.requestCounts());
        counts.remove(CountingBlobStore.MULTIPART);
        counts.values().removeIf(n -> n == 0L);
        return counts;
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
