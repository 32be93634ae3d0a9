package org.autosync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Memory and CPU of a running JVM from /proc and jcmd; the launcher may be a script, so its java child is used. */
final class ProcStats {

    private static final long CLOCK_TICKS_PER_SECOND = 100;
    /** G1 prints one "garbage-first heap" line, the serial GC one line per generation; Metaspace is not heap. */
    private static final Pattern HEAP_USED = Pattern.compile("(?m)^\\s*[\\w -]*(?:generation|heap)\\s+total \\d+K, used (\\d+)K");

    private final long pid;

    ProcStats(Process process) {
        ProcessHandle handle = process.toHandle();
        pid = Stream.concat(Stream.of(handle), handle.descendants())
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .reduce((first, second) -> second).orElse(handle).pid();
    }

    /** Resident set now and at its peak, in KiB. */
    long rssKb() throws IOException {
        return status("VmRSS");
    }

    long peakRssKb() throws IOException {
        return status("VmHWM");
    }

    /** User plus system CPU seconds used so far. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** Java heap in use after a full GC, in KiB, by {@code jcmd}; -1 if it cannot tell. */
    long heapUsedAfterGcKb() throws IOException, InterruptedException {
        run(List.of("jcmd", Long.toString(pid), "GC.run"));
        Matcher used = HEAP_USED.matcher(run(List.of("jcmd", Long.toString(pid), "GC.heap_info")));
        long kb = -1;
        while (used.find()) {
            kb = Math.max(kb, 0) + Long.parseLong(used.group(1));
        }
        return kb;
    }

    private long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
