package org.autosync.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autosync.keys.KeyMapper;

/**
 * One run of the command line: checks the options, turns the flags into jobs ({@link CommandLineJobs}), checks that
 * their S3 targets find a region and credentials ({@link AwsSetup}), and runs every job on camel-main
 * ({@link AutosyncRuntime}), which starts the embedded S3 server once the jobs are made, if asked to
 * ({@link S3Service}):
 * one pass and a summary with {@code --once} ({@link OnceRun}), otherwise until the process is stopped. A mistake in
 * the options is one line {@code autosync: ...} and exit {@value ExitCode#CONFIG_ERROR}.
 */
final class MirrorApplication {

    /** The directory of job routes used when no SOURCE and no --routes is given. */
    static final String DEFAULT_ROUTES = "routes";
    /** The properties file used when there is one in the current directory and no --properties is given. */
    static final String DEFAULT_PROPERTIES = "application.properties";

    private final AutosyncCommand options;
    private final String pwd = System.getenv("PWD");
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    MirrorApplication(AutosyncCommand options) {
        this.options = options;
    }

    int run() {
        try {
            checkOptions();
            CommandLineJobs flagJobs = CommandLineJobs.of(options, pwd);
            Path routes = routesDirectory(!flagJobs.jobs().isEmpty());
            Path properties = propertiesFile();
            if (flagJobs.jobs().isEmpty() && routes == null && properties == null) {
                throw new ConfigurationException("nothing to mirror: give SOURCE directories, or job routes in ./routes or "
                        + "--routes=DIR (see routes/*.camel.yaml), or jobs in application.properties");
            }
            try (S3Service s3 = S3Service.of(options)) {
                AwsSetup.check(flagJobs, s3.defaults());
                return new AutosyncRuntime(options, flagJobs, s3, out, err).run(routes, properties);
            }
        } catch (ConfigurationException e) {
            err.println("autosync: " + e.getMessage());
            return ExitCode.CONFIG_ERROR;
        }
    }

    /** The options that stand alone; those of the jobs are checked as their template parameters. */
    private void checkOptions() {
        boolean integrator = IntegratorActors.used(options);
        if (!integrator && !"s3".equals(options.actor) && !"swift".equals(options.actor)) {
            throw new ConfigurationException("unknown --actor '" + options.actor
                    + "': use s3, swift or the fully qualified name of a class implementing org.autosync.targets.Actor");
        }
        if (!integrator && options.actorOptions != null) {
            throw new ConfigurationException("--actor_option is for --actor=CLASS (integrator actors)");
        }
        if (options.httpPort != null && (options.httpPort < 0 || options.httpPort > 65535)) {
            throw new ConfigurationException("--http_port must be a port number (0 to 65535)");
        }
        if (options.cluster != null && options.once) {
            throw new ConfigurationException("--cluster is for continuous mirroring: with --once every node would mirror; "
                    + "leave out --once");
        }
        if (options.progressInterval.isNegative()) {
            throw new ConfigurationException("--progress_interval must not be negative");
        }
    }

    /** {@code --routes=DIR}; else {@code ./routes} when no SOURCE is given and it exists; else none. */
    private Path routesDirectory(boolean flagJobs) {
        if (options.routes != null) {
            if (options.routes.toString().isEmpty()) {
                return null;
            }
            Path dir = KeyMapper.absoluteFromLogicalPwd(options.routes.toString(), pwd);
            if (!Files.isDirectory(dir)) {
                throw new ConfigurationException("--routes " + options.routes + " is not a directory");
            }
            return dir;
        }
        Path dir = KeyMapper.absoluteFromLogicalPwd(DEFAULT_ROUTES, pwd);
        return !flagJobs && Files.isDirectory(dir) ? dir : null;
    }

    /**
     * {@code --properties=FILE} (which must exist), else {@code application.properties} in the current directory if
     * there is one; null when neither (camel-main then reads one on the classpath, if any).
     */
    private Path propertiesFile() {
        if (options.propertiesFile != null) {
            Path file = KeyMapper.absoluteFromLogicalPwd(options.propertiesFile.toString(), pwd);
            if (!Files.isRegularFile(file)) {
                throw new ConfigurationException("--properties " + options.propertiesFile + " is not a file");
            }
            return file;
        }
        Path local = KeyMapper.absoluteFromLogicalPwd(DEFAULT_PROPERTIES, pwd);
        return Files.isRegularFile(local) ? local : null;
    }
}
