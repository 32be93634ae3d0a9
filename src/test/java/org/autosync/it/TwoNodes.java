package org.autosync.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.autosync.embedded.EmbeddedS3;
import org.autosync.soak.Journal;
import org.autosync.soak.RequestLog;
import org.autosync.soak.RequestLogBlobStore;
import org.autosync.targets.s3.S3ClientFactory;
import org.autosync.targets.s3.S3ClientSettings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Two Autosync processes (the built jar) mirroring the same source directory into the same bucket, the way two hosts
 * of a highly available mirror do, with what each one asks of the target told apart: each node has its own S3Proxy
 * endpoint, with its own {@link RequestLog} (kind, key, start and end time of every request), and all of them serve
 * ONE store, a directory of S3Proxy's filesystem store. The test's own reads go through a third endpoint that logs
 * nothing, so they never count against a node.
 *
 * <p>Each node keeps its own local state ({@code state-0}, {@code state-1}); {@link #extraArgs} adds arguments to
 * both (e.g. a shared {@code --state_url}).
 */
final class TwoNodes implements AutoCloseable {

    static final String BUCKET = "ha-mirror";
    private static final String SECRET = "two-nodes-secret";

    final Path work;
    final Path source;
    private final EmbeddedS3[] servers = new EmbeddedS3[2];
    private final RequestLog[] logs = {new RequestLog(), new RequestLog()};
    private final JarProcess.Running[] processes = new JarProcess.Running[2];
    private final List<Path> kept = new ArrayList<>();
    private final EmbeddedS3 observer;
    private final S3Client client;
    private final List<String> extraArgs = new ArrayList<>();

    TwoNodes(Path work) throws IOException {
        this.work = work;
        this.source = Files.createDirectories(work.resolve("src"));
        Path storage = work.resolve("s3");
        for (int i = 0; i < 2; i++) {
            RequestLog log = logs[i];
            servers[i] = EmbeddedS3.builder(storage).secretKey(SECRET).blobStore(d -> new RequestLogBlobStore(d, log)).build();
        }
        observer = EmbeddedS3.builder(storage).secretKey(SECRET).build();
        client = S3ClientFactory.create(new S3ClientSettings(observer.endpoint(), observer.region(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(observer.accessKey(), SECRET)), 4));
    }

    /** Arguments both nodes get besides the usual ones. */
    TwoNodes extraArgs(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    /** Starts node {@code i} (again, after a kill) with {@code --cluster=cluster}; its own state directory. */
    JarProcess.Running start(int i, String cluster) throws IOException {
        List<String> args = new ArrayList<>(List.of("--cluster=" + cluster, "--endpoint=" + servers[i].endpoint(),
                "--target_container=" + BUCKET, "--state_dir=" + work.resolve("state-" + i),
                "--source_prefix=" + source, "--interval=1s"));
        args.addAll(extraArgs);
        args.add(source.toString());
        processes[i] = new JarProcess().in(work).env("AWS_ACCESS_KEY_ID", servers[i].accessKey())
                .env("AWS_SECRET_ACCESS_KEY", SECRET).env("AWS_REGION", servers[i].region()).start(args);
        return processes[i];
    }

    JarProcess.Running process(int i) {
        return processes[i];
    }

    /** SIGKILL to node {@code i}'s JVM; returns when it is gone, with the time of the kill (µs, {@link Journal}). */
    long kill(int i) throws Exception {
        Process p = processes[i].process();
        long at = Journal.nowMicros();
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + i + " did not die");
        }
        keepOutput(i);
        return at;
    }

    /** What node {@code i} asked of the target, in time order. */
    List<RequestLog.Request> requests(int i) {
        return logs[i].all();
    }

    /** The node that has sent requests so far, if exactly one has. */
    int onlySender() {
        boolean a = !requests(0).isEmpty();
        boolean b = !requests(1).isEmpty();
        if (a == b) {
            throw new IllegalStateException("senders: node 0 " + a + ", node 1 " + b);
        }
        return a ? 0 : 1;
    }

    /** Uploads per key, over both nodes (PutObject and completed multipart uploads). */
    Map<String, Long> putsPerKey() {
        List<RequestLog.Request> all = new ArrayList<>(requests(0));
        all.addAll(requests(1));
        return all.stream().filter(r -> r.key() != null && (r.kind().equals("PUT") || r.kind().equals("MULTIPART_COMPLETE")))
                .collect(Collectors.groupingBy(RequestLog.Request::key, TreeMap::new, Collectors.counting()));
    }

    /** The uploads of keys uploaded more than once: node, times and kind, for a failure message. */
    String repeatedPuts() {
        StringBuilder out = new StringBuilder();
        putsPerKey().forEach((key, n) -> {
            if (n > 1) {
                for (int i = 0; i < 2; i++) {
                    for (RequestLog.Request r : requests(i)) {
                        if (key.equals(r.key())) {
                            out.append("node ").append(i).append(' ').append(r.format(0)).append('\n');
                        }
                    }
                }
            }
        });
        return out.toString();
    }

    void write(String relative, String content) throws IOException {
        Path file = source.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** Key to content in the bucket, read through the observer endpoint. */
    Map<String, String> bucket() {
        Map<String, String> contents = new TreeMap<>();
        try {
            for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents()) {
                try {
                    contents.put(o.key(), client.getObjectAsBytes(r -> r.bucket(BUCKET).key(o.key())).asString(StandardCharsets.UTF_8));
                } catch (NoSuchKeyException e) {
                    // listed while being written: not there at this moment
                }
            }
        } catch (NoSuchBucketException e) {
            // not created yet
        }
        return contents;
    }

    /** Key to content under the source: what the bucket must hold. */
    Map<String, String> expected() throws IOException {
        try (var files = Files.walk(source)) {
            return files.filter(Files::isRegularFile).collect(Collectors.toMap(
                    p -> source.relativize(p).toString(), (Function<Path, String>) p -> {
                        try {
                            return Files.readString(p);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, (x, y) -> x, TreeMap::new));
        }
    }

    String stderr(int i) throws IOException {
        return processes[i] == null ? "" : processes[i].stderrSoFar();
    }

    private void keepOutput(int i) throws IOException {
        Path keep = work.resolve("node-" + i + "-run-" + kept.size() + ".err");
        Files.writeString(keep, processes[i].stderrSoFar());
        kept.add(keep);
    }

    /** Everything both nodes said, for a failure message. */
    String outputs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path p : kept) {
            all.append("--- ").append(p.getFileName()).append('\n').append(Files.readString(p));
        }
        for (int i = 0; i < 2; i++) {
            all.append("--- node ").append(i).append(" (last run)\n").append(stderr(i));
        }
        return all.toString();
    }

    @Override
    public void close() throws Exception {
        for (JarProcess.Running p : processes) {
            if (p != null) {
                p.cleanUp();
            }
        }
        client.close();
        observer.close();
        for (EmbeddedS3 s : servers) {
            s.close();
        }
    }
}
