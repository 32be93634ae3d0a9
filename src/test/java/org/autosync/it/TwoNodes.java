package org.autosync.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import org.autosync.embedded.EmbeddedS3;
import org.autosync.soak.Journal;
import org.autosync.soak.RequestLog;
import org.autosync.soak.RequestLogBlobStore;
import org.autosync.targets.s3.S3ClientFactory;
import org.autosync.targets.s3.S3ClientSettings;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Two Autosync processes (the built jar) mirroring the same source directory into the same bucket, the way two hosts
 * of a highly available mirror do, with what each one asks of the target told apart: both talk to ONE S3Proxy
 * endpoint (as real nodes do, so that their sync states are named alike, {@code StateFiles#stateId}), each with its
 * own access key, and S3Proxy's {@link org.gaul.s3proxy.BlobStoreLocator} gives each key its own {@link RequestLog}
 * (kind, key, start and end time of every request) in front of one filesystem store. The test's own reads use a third
 * key that logs nothing, so they never count against a node.
 *
 * <p>Each node keeps its own local state ({@code state-0}, {@code state-1}); {@link #extraArgs} adds arguments to
 * both (e.g. a shared {@code --state_url}), {@link #nodeArg} one made for each node.
 */
final class TwoNodes implements AutoCloseable {

    static final String BUCKET = "ha-mirror";
    private static final String SECRET = "two-nodes-secret";

    private static final String OBSERVER = "observer";

    final Path work;
    final Path source;
    private final S3Proxy server;
    private final URI endpoint;
    private final RequestLog[] logs = {new RequestLog(), new RequestLog()};
    private final JarProcess.Running[] processes = new JarProcess.Running[2];
    private final List<Path> kept = new ArrayList<>();
    private final S3Client client;
    private final List<String> extraArgs = new ArrayList<>();
    private final List<IntFunction<String>> nodeArgs = new ArrayList<>();

    TwoNodes(Path work) throws Exception {
        this.work = work;
        this.source = Files.createDirectories(work.resolve("src"));
        Path storage = Files.createDirectories(work.resolve("s3"));
        BlobStore store = new FilesystemNio2BlobStore(storage.toAbsolutePath().toString());
        Map<String, BlobStore> views = Map.of(accessKey(0), new RequestLogBlobStore(store, logs[0]),
                accessKey(1), new RequestLogBlobStore(store, logs[1]), OBSERVER, store);
        server = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, OBSERVER, SECRET).build();
        server.setBlobStoreLocator((identity, container, blob) ->
                views.containsKey(identity) ? new AccessGrant(SECRET, views.get(identity)) : null);
        server.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(server.getState()) || "FAILED".equals(server.getState()));
        if (!"STARTED".equals(server.getState())) {
            server.stop();
            throw new IllegalStateException("S3Proxy did not start: " + server.getState());
        }
        endpoint = URI.create("http://127.0.0.1:" + server.getPort());
        client = S3ClientFactory.create(new S3ClientSettings(endpoint, EmbeddedS3.REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(OBSERVER, SECRET)), 4));
    }

    private static String accessKey(int node) {
        return "node-" + node;
    }

    /** Arguments both nodes get besides the usual ones. */
    TwoNodes extraArgs(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    /** An argument each node gets, made from the node's index. */
    TwoNodes nodeArg(IntFunction<String> arg) {
        nodeArgs.add(arg);
        return this;
    }

    /** Starts node {@code i} (again, after a kill) with {@code --cluster=cluster}; its own state directory. */
    JarProcess.Running start(int i, String cluster) throws IOException {
        List<String> args = new ArrayList<>(List.of("--cluster=" + cluster, "--endpoint=" + endpoint,
                "--target_container=" + BUCKET, "--state_dir=" + work.resolve("state-" + i),
                "--source_prefix=" + source, "--interval=1s"));
        args.addAll(extraArgs);
        nodeArgs.forEach(arg -> args.add(arg.apply(i)));
        args.add(source.toString());
        processes[i] = new JarProcess().in(work).env("AWS_ACCESS_KEY_ID", accessKey(i))
                .env("AWS_SECRET_ACCESS_KEY", SECRET).env("AWS_REGION", EmbeddedS3.REGION).start(args);
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

    /** Key to content in the bucket, read with the observer's key (not logged). */
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
        server.stop();
    }
}
