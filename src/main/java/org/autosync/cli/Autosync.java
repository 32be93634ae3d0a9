package org.autosync.cli;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;

/** Entry point of the standalone jar. */
public final class Autosync {

    private Autosync() {
    }

    public static void main(String... args) {
        // the jar's own logging setup; as a library in another runtime, Autosync leaves logging to its host
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "autosync-logback.xml");
        }
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        String jnu = System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
        if (!Charset.forName(jnu).equals(StandardCharsets.UTF_8)) {
            System.err.println("autosync: the JVM sees file names as " + jnu + ", so names like 'café' cannot be "
                    + "represented. Run it with a UTF-8 locale, e.g. LC_ALL=C.UTF-8 java -jar autosync.jar ...");
            return ExitCode.CONFIG_ERROR;
        }
        return new CommandLine(new AutosyncCommand()).execute(args);
    }
}
