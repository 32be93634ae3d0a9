package org.autosync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Autosync and rclone as child processes against the lab's server, each under GNU time for its
 * peak RSS. How Autosync is launched is decided here only: {@link #autosyncCommand}.
 */
final class Tools {

    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    private static final Pattern CPU = Pattern.compile("(?:User|System) time \\(seconds\\): ([\\d.]+)");
    private static final List<String> RCLONE_FLAGS = List.of(
            "--transfers", "32", "--checkers", "32", "--fast-list", "--checksum", "--s3-no-head");

    /**
     * One finished run: wall seconds measured here, CPU seconds (user + system, children included) and peak RSS from
     * GNU time, the requests the server counted.
     */
    record Run(double seconds, double cpuSeconds, long peakRssKb, int exitCode, Map<String, Long> requests, Path log) {
    }

    private final Lab lab;
    private final List<String> autosyncCommand;
    private final Path jar;
    private final Path benchClasses;
    private final Path logs;
    private int runs;

    Tools(Lab lab, List<String> autosyncCommand, Path jar, Path benchClasses, Path logs) throws IOException {
        this.lab = lab;
        this.autosyncCommand = autosyncCommand;
        this.jar = jar;
        this.benchClasses = benchClasses;
        this.logs = Files.createDirectories(logs);
    }

    /** {@code autosync --once} from {@code source} into {@code bucket}, keeping its sync state in {@code state}. */
    Run autosyncOnce(Path source, String bucket, Path state) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(autosyncCommand);
        command.add("--once");
        command.addAll(autosyncArgs(source, bucket, state));
        return timed("autosync", command);
    }

    /** {@code rclone sync} with the tuned flags, from {@code source} into {@code bucket}. */
    Run rclone(Path source, String bucket) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("rclone", "sync", source.toString(), "bench:" + bucket));
        command.addAll(RCLONE_FLAGS);
        return timed("rclone", command);
    }

    /** Autosync in continuous mode, left running: the caller stops it. */
    Process autosyncContinuous(Path source, String bucket, Path state, List<String> extra) throws IOException {
        List<String> command = new ArrayList<>(autosyncCommand);
        command.addAll(extra);
        command.addAll(autosyncArgs(source, bucket, state));
        return start("autosync-continuous", command);
    }

    /**
     * Autosync with a bench actor on the class path, in continuous mode: the launcher takes it from
     * {@code AUTOSYNC_CLASSPATH}; {@code java -jar} ignores any class path, so then the main class is named.
     */
    Process autosyncWithActor(Path source, Path state, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(autosyncCommand.contains("-jar")
                ? List.of("java", "-cp", jar + ":" + benchClasses, "org.autosync.cli.Autosync")
                : autosyncCommand);
        command.addAll(List.of("--state_dir=" + state, "--target_container=bench-actor", "--source_prefix=" + source));
        command.addAll(args);
        command.add(source.toString());
        return start("autosync-actor", command, Map.of("AUTOSYNC_CLASSPATH", benchClasses.toString()));
    }

    /** {@code curl --aws-sigv4}: one plain PUT of a file, the server's own speed for a large object. */
    Run curlPut(Path file, String bucket, String key) throws IOException, InterruptedException {
        return timed("curl", List.of("curl", "-sS", "-f", "-o", "/dev/null", "-T", file.toString(),
                "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                "--aws-sigv4", "aws:amz:" + lab.server().region() + ":s3",
                "--user", lab.server().accessKey() + ":" + lab.server().secretKey(),
                lab.server().endpoint() + "/" + bucket + "/" + key));
    }

    /** Stops a continuous run as Ctrl-C would, the launcher's children included; kills it after a minute. */
    static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private List<String> autosyncArgs(Path source, String bucket, Path state) {
        return List.of("--endpoint=" + lab.server().endpoint(), "--region=" + lab.server().region(),
                "--target_container=" + bucket, "--source_prefix=" + source, "--state_dir=" + state,
                source.toString());
    }

    private Run timed(String name, List<String> command) throws IOException, InterruptedException {
        Path timeFile = logs.resolve(String.format("%04d-%s.time", runs + 1, name));
        List<String> wrapped = new ArrayList<>(List.of("/usr/bin/time", "-v", "-o", timeFile.toString()));
        wrapped.addAll(command);
        lab.resetCounts();
        long start = System.nanoTime();
        Process process = start(name, wrapped);
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within 30 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> requests = lab.counts();
        String times = Files.exists(timeFile) ? Files.readString(timeFile) : "";
        Matcher rss = MAX_RSS.matcher(times);
        double cpu = 0;
        for (Matcher m = CPU.matcher(times); m.find(); ) {
            cpu += Double.parseDouble(m.group(1));
        }
        return new Run(seconds, cpu, rss.find() ? Long.parseLong(rss.group(1)) : -1, process.exitValue(), requests,
                logs.resolve(String.format("%04d-%s.log", runs, name)));
    }

    private Process start(String name, List<String> command) throws IOException {
        return start(name, command, Map.of());
    }

    private Process start(String name, List<String> command, Map<String, String> extraEnv) throws IOException {
        runs++;
        Path log = logs.resolve(String.format("%04d-%s.log", runs, name));
        Files.writeString(log, String.join(" ", command).replace(lab.server().secretKey(), "***") + "\n");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.remove("AWS_CA_BUNDLE"); // rclone 1.60 fails to start with it set
        env.put("LC_ALL", "C.UTF-8");
        env.put("AWS_ACCESS_KEY_ID", lab.server().accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", lab.server().secretKey());
        env.put("RCLONE_CONFIG_BENCH_TYPE", "s3");
        env.put("RCLONE_CONFIG_BENCH_PROVIDER", "Other");
        env.put("RCLONE_CONFIG_BENCH_ACCESS_KEY_ID", lab.server().accessKey());
        env.put("RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY", lab.server().secretKey());
        env.put("RCLONE_CONFIG_BENCH_ENDPOINT", lab.server().endpoint().toString());
        env.put("RCLONE_CONFIG_BENCH_REGION", lab.server().region());
        env.put("RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE", "true");
        env.put("RCLONE_CONFIG", "/dev/null");
        env.putAll(extraEnv);
        return builder.start();
    }
}
