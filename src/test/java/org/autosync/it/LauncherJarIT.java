package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The launcher {@code target/autosync} chooses the JIT policy by the kind of run: C1 only for a {@code --once} pass,
 * tiered compilation for a continuous one, and the user's own choice in {@code AUTOSYNC_JAVA_OPTS} over both. Read
 * from the flags the JVM it started reports.
 */
class LauncherJarIT {

    private static final Path LAUNCHER = JarProcess.JAR.resolveSibling("autosync");
    private static final Pattern TIERED_STOP = Pattern.compile("intx TieredStopAtLevel\\s+=\\s+(\\d+)");

    @Test
    void aOneShotPassCompilesWithC1Only() throws Exception {
        assertThat(tieredStopAtLevel("", "--once", "--version")).isEqualTo(1);
    }

    @Test
    void aContinuousRunKeepsTieredCompilation() throws Exception {
        assertThat(tieredStopAtLevel("", "--version")).isEqualTo(4);
    }

    @Test
    void theUsersCompilationPolicyWins() throws Exception {
        assertThat(tieredStopAtLevel("-XX:TieredStopAtLevel=4", "--once", "--version")).isEqualTo(4);
    }

    private static int tieredStopAtLevel(String userOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AUTOSYNC_JAVA_OPTS", (userOptions + " -XX:+PrintFlagsFinal").trim());
        builder.environment().put("LC_ALL", "C.UTF-8");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        Matcher m = TIERED_STOP.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
