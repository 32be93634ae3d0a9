package org.autosync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.autosync.testing.S3Fixture;
import org.autosync.job.MirrorJob;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Random source trees against random bucket contents, through the real routes and a real S3 server:
 * after one reconciliation pass the bucket equals the tree, and a second pass changes nothing. Names
 * mix U+E000 and U+1F980 so S3Proxy's UTF-16 listing order (not S3's byte order) is met and must be
 * detected rather than cause a wrong delete or a missed upload.
 */
class ReconcileProperties {

    private static Path work;
    private static S3Fixture s3;

    @BeforeContainer
    static void start() throws Exception {
        work = Files.createTempDirectory("reconcile-properties");
        s3 = new S3Fixture(work.resolve("server"));
    }

    @AfterContainer
    static void stop() throws IOException {
        s3.close();
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 15)
    void onePassMakesTheBucketEqualTheTree(@ForAll("scenarios") Scenario scenario) throws Exception {
        assertOnePassConverges(scenario);
    }

    @Example
    void listingOutOfS3OrderIsDetectedAndStillConverges() throws Exception {
        // S3Proxy lists U+1F980 (a surrogate pair in UTF-16) before U+E000; S3's byte order is the reverse
        Map<String, String> local = Map.of("d/\uE000", "private use", "d/\uD83E\uDD80", "crab", "d/z", "z");
        Map<String, String> remote = Map.of("d/\uE000", "old", "d/\uD83E\uDD80", "crab", "d/\uE001", "stale");
        assertOnePassConverges(new Scenario(local, remote));
    }

    private void assertOnePassConverges(Scenario scenario) throws Exception {
        Path source = Files.createDirectories(Files.createTempDirectory(work, "src").resolve("tree"));
        scenario.local().forEach((path, content) -> write(source.resolve(path), content));
        String bucket = S3Fixture.uniqueBucket("prop");
        s3.client.createBucket(r -> r.bucket(bucket));
        scenario.remote().forEach((key, content) ->
                s3.client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content)));

        // the merge is under test, not the delete rails: random buckets are often mostly stale, or the tree empty
        MirrorJob job = s3.job(source, bucket, "", work, false, new org.autosync.safety.DeletePolicy(false,
                org.autosync.safety.MaxDelete.parse("100%"), "", org.autosync.safety.DeletePolicy.DEFAULT_WINDOW));
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            AutosyncJobs.add(context, job);
            context.start();
            ProducerTemplate template = context.createProducerTemplate();

            template.requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);
            assertThat(s3.contents(bucket)).isEqualTo(new TreeMap<>(scenario.local()));
            assertThat(job.stats().snapshot().failed()).isZero();

            long uploadedBefore = job.stats().snapshot().uploadedFiles();
            template.requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);
            assertThat(job.stats().snapshot().uploadedFiles()).isEqualTo(uploadedBefore);
            assertThat(s3.contents(bucket)).isEqualTo(new TreeMap<>(scenario.local()));
        }
    }

    record Scenario(Map<String, String> local, Map<String, String> remote) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<String> segment = Arbitraries.of("a", "-", "0", "\uE000", "\uD83E\uDD80", "é", "x y")
                .list().ofMinSize(1).ofMaxSize(2).map(parts -> String.join("", parts));
        Arbitrary<String> path = segment.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("/", parts));
        Arbitrary<List<String>> paths = path.list().ofMaxSize(25).map(ReconcileProperties::withoutDirectoryClashes);
        Arbitrary<String> content = Arbitraries.of("one", "two", "three", "");
        return paths.flatMap(all -> {
            Arbitrary<List<Integer>> where = Arbitraries.integers().between(0, 3).list().ofSize(all.size());
            Arbitrary<List<String>> contents = content.list().ofSize(all.size());
            return Combinators.combine(where, contents, contents).as((w, localContent, remoteContent) -> {
                Map<String, String> local = new TreeMap<>();
                Map<String, String> remote = new TreeMap<>();
                for (int i = 0; i < all.size(); i++) {
                    int side = w.get(i); // 0 local only, 1 remote only, 2 both same, 3 both maybe different
                    if (side != 1) {
                        local.put(all.get(i), localContent.get(i));
                    }
                    if (side == 1 || side == 3) {
                        remote.put(all.get(i), remoteContent.get(i));
                    } else if (side == 2) {
                        remote.put(all.get(i), localContent.get(i));
                    }
                }
                return new Scenario(local, remote);
            });
        });
    }

    /** A name cannot be a file in one place and a directory in another (neither on disk nor in S3Proxy). */
    private static List<String> withoutDirectoryClashes(List<String> candidates) {
        List<String> kept = new ArrayList<>();
        for (String p : candidates) {
            boolean clash = kept.stream().anyMatch(q -> q.equals(p) || q.startsWith(p + "/") || p.startsWith(q + "/"));
            if (!clash) {
                kept.add(p);
            }
        }
        return kept;
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
