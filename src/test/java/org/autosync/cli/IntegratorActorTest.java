package org.autosync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.autosync.examples.LocalDirectoryActor;
import org.autosync.keys.S3KeyOrder;
import org.autosync.targets.Actor;
import org.autosync.targets.RemoteListing;
import org.autosync.targets.RemoteObject;
import org.autosync.targets.Upload;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integrator actors through the real command line in this JVM: {@code --actor=CLASS} with settings from
 * {@code --actor_option} and a properties file ({@code camel.beans.actor.*}), the exit-2 messages, {@link Autosync#run(Actor, String...)},
 * and listings that declare themselves unsorted mirroring correctly.
 */
class IntegratorActorTest {

    private static final String LOCAL = "--actor=" + LocalDirectoryActor.class.getName();

    @TempDir
    Path work;
    private Path src;
    private Path target;
    private String stdout;
    private String stderr;

    @BeforeEach
    void tree() throws IOException {
        src = Files.createDirectories(work.resolve("src"));
        target = work.resolve("target");
        // names whose file-system order differs from S3 key order
        for (String name : List.of("b", "a/1", "a/2", "a-", "a0", "A", "z/y/x", "caf\u00e9", "cafe", "\u00e9t\u00e9",
                "\u65e5\u672c", "m m", "emoji \ud83e\udd80")) {
            Path f = src.resolve(name);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "content of " + name);
        }
    }

    private int run(Actor instance, String... args) {
        List<String> all = new ArrayList<>(List.of("--once", "--settle_time=0", "--state_dir=" + work.resolve("state"),
                "--source_prefix=" + src));
        all.addAll(List.of(args));
        all.add(src.toString());
        String[] array = all.toArray(String[]::new);
        return capture(() -> instance == null ? Autosync.execute(array) : Autosync.run(instance, array));
    }

    private int capture(java.util.function.IntSupplier body) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return body.getAsInt();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            stdout = out.toString(StandardCharsets.UTF_8);
            stderr = err.toString(StandardCharsets.UTF_8);
        }
    }

    private String result() {
        return "--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void classFromTheClasspathWithAnActorOptionMirrorsUploadsAndDeletes() throws IOException {
        assertThat(run(null, LOCAL, "--actor_option", "root=" + target)).as(result()).isZero();
        assertThat(files(target)).isEqualTo(files(src));
        assertThat(Files.readString(target.resolve("a/2"))).isEqualTo("content of a/2");
        assertThat(stdout).contains("uploaded 13 files");

        Files.delete(src.resolve("a/1"));
        Files.delete(src.resolve("z/y/x"));
        Files.writeString(src.resolve("b"), "changed");
        assertThat(run(null, LOCAL, "--actor-option=root=" + target)).as(result()).isZero();
        assertThat(files(target)).isEqualTo(files(src));
        assertThat(target.resolve("z")).doesNotExist();
        assertThat(Files.readString(target.resolve("b"))).isEqualTo("changed");
        assertThat(stdout).contains("uploaded 1 files", "deleted 2, unchanged 10");
    }

    @Test
    void aFilledTargetWithoutStateIsRecognisedAsEqual() throws IOException {
        assertThat(run(null, LOCAL, "--actor_option", "root=" + target)).as(result()).isZero();
        try (Stream<Path> state = Files.walk(work.resolve("state"))) {
            state.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThat(run(null, LOCAL, "--actor_option", "root=" + target)).as(result()).isZero();
        assertThat(stdout).contains("uploaded 0 files / 0 bytes, deleted 0, unchanged 13");
    }

    @Test
    void settingsFromAPropertiesFileAndOptionsOverrideThem() throws IOException {
        Path props = Files.writeString(work.resolve("autosync.properties"),
                "camel.beans.actor.root=" + work.resolve("elsewhere") + "\nunrelated.key=1\n");
        assertThat(run(null, LOCAL, "--properties=" + props)).as(result()).isZero();
        assertThat(files(work.resolve("elsewhere"))).isEqualTo(files(src));

        assertThat(run(null, LOCAL, "--properties=" + props, "--actor_option", "root=" + target)).as(result()).isZero();
        assertThat(files(target)).isEqualTo(files(src));

        assertThat(run(null, LOCAL, "--properties=" + work.resolve("missing.properties"))).isEqualTo(2);
        assertThat(stderr).contains("missing.properties is not a file");
    }

    @Test
    void unknownSettingIsExitTwoNamingItWithoutTheValue() {
        assertThat(run(null, LOCAL, "--actor_option", "root=" + target, "--actor_option", "colour=secret-blue",
                "--actor_option", "Size=3")).as(result()).isEqualTo(2);
        // Camel binds the settings one by one and stops at the first it cannot set
        assertThat(stderr).containsPattern("has no setting (Size|colour) ").doesNotContain("secret-blue");
        assertThat(target).doesNotExist();
    }

    @Test
    void settingNamesIgnoreCase() throws IOException {
        assertThat(run(null, LOCAL, "--actor_option", "ROOT=" + target)).as(result()).isZero();
        assertThat(files(target)).isEqualTo(files(src));
    }

    @Test
    void missingMandatorySettingIsExitTwoNamingIt() {
        assertThat(run(null, LOCAL)).as(result()).isEqualTo(2);
        assertThat(stderr).contains("missing setting root");
    }

    @Test
    void valueThatDoesNotConvertIsExitTwoWithoutTheValue() {
        assertThat(run(null, "--actor=" + MemoryActor.class.getName(), "--actor_option", "seed=not-a-number-secret"))
                .as(result()).isEqualTo(2);
        assertThat(stderr).contains("cannot set 'seed'").doesNotContain("not-a-number-secret");
    }

    @Test
    void classProblemsAreExitTwoWithClearMessages() {
        assertThat(run(null, "--actor=com.example.NoSuchActor")).isEqualTo(2);
        assertThat(stderr).contains("--actor=com.example.NoSuchActor: no such class on the classpath");

        assertThat(run(null, "--actor=java.lang.String")).isEqualTo(2);
        assertThat(stderr).contains("does not implement org.autosync.targets.Actor");

        assertThat(run(null, "--actor=" + NoDefaultConstructor.class.getName())).isEqualTo(2);
        assertThat(stderr).contains("has no public no-argument constructor");

        assertThat(run(null, "--actor=nosuch")).isEqualTo(2);
        assertThat(stderr).contains("unknown --actor 'nosuch'");

        assertThat(run(null, "--actor=swift", "--actor_option", "a=b")).isEqualTo(2);
        assertThat(stderr).contains("--actor_option is for --actor=CLASS");

        assertThat(run(null, LOCAL, "--actor_option", "root=" + target, "--endpoint=http://127.0.0.1:1")).isEqualTo(2);
        assertThat(stderr).contains("are for --actor=s3");
    }

    @Test
    void programGivesAnUnsortedActorInstanceAndKeepsOwningIt() throws IOException {
        MemoryActor actor = new MemoryActor();
        assertThat(run(actor, "--actor_option", "seed=7", "--target_container=mem")).as(result()).isZero();
        assertThat(actor.seed).isEqualTo(7);
        assertThat(actor.keys()).isEqualTo(files(src).stream().sorted(S3KeyOrder.INSTANCE).toList());
        assertThat(actor.listings.get()).isPositive();
        assertThat(actor.closed).isFalse();

        Files.delete(src.resolve("cafe"));
        Files.writeString(src.resolve("new"), "n");
        assertThat(run(actor, "--target_container=mem")).as(result()).isZero();
        assertThat(actor.keys()).isEqualTo(files(src).stream().sorted(S3KeyOrder.INSTANCE).toList());
        assertThat(stdout).contains("uploaded 1 files", "deleted 1, unchanged 12");

        assertThat(run(actor, "--actor=swift")).isEqualTo(2);
        assertThat(stderr).contains("cannot be combined with the actor the program gave");
    }

    @Test
    void programGivesAFactoryAndAutosyncClosesWhatItMade() throws IOException {
        Path other = Files.createDirectories(work.resolve("other"));
        Files.writeString(other.resolve("o"), "o");
        List<MemoryActor> made = Collections.synchronizedList(new ArrayList<>());
        int code = capture(() -> Autosync.run(() -> {
            MemoryActor a = new MemoryActor();
            made.add(a);
            return a;
        }, "--once", "--settle_time=0", "--state_dir=" + work.resolve("state"), "--source_prefix=" + work,
                src.toString(), other.toString()));

        assertThat(code).as(result()).isZero();
        assertThat(made).hasSize(2).allSatisfy(a -> assertThat(a.closed).isTrue());
        assertThat(made.get(1).keys()).containsExactly("other/o");
    }

    @Test
    void aClassActorIsOneBeanForAllSourcesClosedAtTheEnd() throws IOException {
        Path other = Files.createDirectories(work.resolve("other"));
        Files.writeString(other.resolve("o"), "o");
        CountingActor.made.set(0);
        CountingActor.closed.set(0);
        int code = capture(() -> Autosync.execute("--once", "--settle_time=0", "--state_dir=" + work.resolve("state"),
                "--source_prefix=" + work, "--actor=" + CountingActor.class.getName(), src.toString(), other.toString()));

        assertThat(code).as(result()).isZero();
        assertThat(stdout).contains("uploaded 14 files");
        assertThat(CountingActor.made).hasValue(1);
        assertThat(CountingActor.closed).hasValue(1);
    }

    /** Counts the instances made from the class (by camel-main, as the bean 'actor') and those closed. */
    public static class CountingActor extends MemoryActor {
        static final AtomicInteger made = new AtomicInteger();
        static final AtomicInteger closed = new AtomicInteger();

        public CountingActor() {
            made.incrementAndGet();
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    /** An in-memory actor whose listings come in reverse S3 order and say so. */
    public static class MemoryActor implements Actor {
        final Map<String, byte[]> objects = new ConcurrentSkipListMap<>(S3KeyOrder.INSTANCE);
        final Map<String, Long> mtimes = new ConcurrentHashMap<>();
        final AtomicInteger listings = new AtomicInteger();
        volatile boolean closed;
        int seed;

        public void setSeed(int seed) {
            this.seed = seed;
        }

        List<String> keys() {
            return List.copyOf(objects.keySet());
        }

        @Override
        public RemoteListing list(String prefix) {
            listings.incrementAndGet();
            List<RemoteObject> all = new ArrayList<>();
            objects.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    all.add(new RemoteObject(k, v.length, null));
                }
            });
            Collections.reverse(all);
            var it = all.iterator();
            return RemoteListing.of(it, false);
        }

        @Override
        public String upload(Upload upload) throws IOException {
            objects.put(upload.key(), Files.readAllBytes(upload.file()));
            mtimes.put(upload.key(), upload.mtimeMillis());
            return null;
        }

        @Override
        public List<DeleteFailure> delete(List<String> keys) {
            keys.forEach(k -> {
                objects.remove(k);
                mtimes.remove(k);
            });
            return List.of();
        }

        @Override
        public Optional<Long> storedMtimeMillis(String key) {
            return Optional.ofNullable(mtimes.get(key));
        }

        @Override
        public String describe() {
            return "memory@" + System.identityHashCode(this);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Not loadable by --actor: no no-argument constructor. */
    public static class NoDefaultConstructor extends MemoryActor {
        public NoDefaultConstructor(String any) {
        }
    }
}
