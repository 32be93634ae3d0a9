package org.autosync.cli;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import java.util.function.Supplier;

import org.autosync.targets.Actor;
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
        return execute(new AutosyncCommand(), args);
    }

    private static int execute(AutosyncCommand command, String... args) {
        String jnu = System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
        if (!Charset.forName(jnu).equals(StandardCharsets.UTF_8)) {
            System.err.println("autosync: the JVM sees file names as " + jnu + ", so names like 'café' cannot be "
                    + "represented. Run it with a UTF-8 locale, e.g. LC_ALL=C.UTF-8 java -jar autosync.jar ...");
            return ExitCode.CONFIG_ERROR;
        }
        return new CommandLine(command).execute(args);
    }

    /**
     * Runs Autosync with the same options as the command line, mirroring into {@code actor} instead of a built-in
     * one: the original autosync's {@code main(actor=MediaFileActor)}. The instance is the bean {@code actor}:
     * {@code --actor_option}s and {@code camel.beans.actor.*} properties are bound onto it, then
     * {@link Actor#validate()} is called. It is shared by the jobs of all SOURCEs (so it must be thread-safe) and
     * is not closed: the caller owns it. Logging is left to the caller's setup.
     *
     * @return the exit code (see {@link ExitCode}); the process is not exited
     */
    public static int run(Actor actor, String... args) {
        AutosyncCommand command = new AutosyncCommand();
        command.providedActor = ProvidedActor.of(actor);
        return execute(command, args);
    }

    /**
     * Like {@link #run(Actor, String...)}, but {@code factory} makes one actor per SOURCE, the bean
     * {@code actor-JOBID} ({@code actor-job1}, ...): each gets the {@code --actor_option}s (properties as
     * {@code camel.beans.actor-job1.KEY}) and is closed by Autosync at the end.
     */
    public static int run(Supplier<? extends Actor> factory, String... args) {
        AutosyncCommand command = new AutosyncCommand();
        command.providedActor = ProvidedActor.of(factory);
        return execute(command, args);
    }

    /** {@link #run(Actor, String...)} with the jar's own logging setup, then exits the process with its code. */
    public static void main(Actor actor, String... args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "autosync-logback.xml");
        }
        System.exit(run(actor, args));
    }
}
