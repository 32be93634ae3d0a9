package org.autosync.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code target/autosync.jar} in a child JVM, as a user would, and captures what it says. */
final class JarProcess {

    static final Path JAR = Path.of("target", "autosync.jar").toAbsolutePath();

    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private Path workDir = Path.of(".").toAbsolutePath();
    private String extraClasspath;

    JarProcess jvm(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Runs {@code java -cp autosync.jar:EXTRA org.autosync.cli.Autosync} instead of {@code java -jar}. */
    JarProcess classpath(String extra) {
        extraClasspath = extra;
        return this;
    }

    JarProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs in {@code dir}, with {@code $PWD} set to it as a shell would. */
    JarProcess in(Path dir) {
        workDir = dir;
        env.put("PWD", dir.toString());
        return this;
    }

    Result run(String... args) throws IOException, InterruptedException {
        return run(List.of(args));
    }

    Result run(List<String> args) throws IOException, InterruptedException {
        Running running = start(args);
        try {
            if (!running.process().waitFor(5, TimeUnit.MINUTES)) {
                running.process().destroyForcibly();
                throw new IllegalStateException("autosync did not finish within 5 minutes: " + args);
            }
            return running.result();
        } finally {
            running.cleanUp();
        }
    }

    /** Starts the jar without waiting: for tests that signal or kill the process. */
    Running start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (extraClasspath == null) {
            command.add("-jar");
            command.add(JAR.toString());
        } else {
            command.add("-cp");
            command.add(JAR + java.io.File.pathSeparator + extraClasspath);
            command.add("org.autosync.cli.Autosync");
        }
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().putIfAbsent("LC_ALL", "C.UTF-8");
        env.forEach((k, v) -> {
            if (v == null) {
                builder.environment().remove(k);
            } else {
                builder.environment().put(k, v);
            }
        });
        Path out = Files.createTempFile("autosync-out", ".txt");
        Path err = Files.createTempFile("autosync-err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Running(process, out, err);
    }

    /** A started jar; its output goes to files that {@link #result()} reads once it has exited. */
    record Running(Process process, Path out, Path err) {
        Result result() throws IOException {
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        }

        String stderrSoFar() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        void cleanUp() throws IOException {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
