package org.autosync.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.autosync.local.TempFileNames;
import org.autosync.safety.MaxDelete;
import org.autosync.state.postgres.PostgresUrl;
import org.autosync.watch.WatchMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line: the original autosync's flags (underscore and dashed spellings) plus ours. */
@Command(name = "autosync", mixinStandardHelpOptions = true, showDefaultValues = true,
        versionProvider = AutosyncCommand.Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = "Keeps an object store (S3 or S3-compatible) equal to local directories: new and changed "
                + "files are uploaded, removed files are deleted from the target.",
        footer = {"", "Exit codes: 0 in sync, 1 a transfer failed, 2 usage or configuration error, "
                + "3 a safety rail stopped deletes. Continuous mode exits 0 after SIGTERM.",
                "Credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                        + "~/.aws/credentials, instance roles)."})
public class AutosyncCommand implements Callable<Integer> {

    /** How every DURATION option is read (Camel's rule, as for the durations of job parameters). */
    static final String DURATION_RULE = " DURATION is Camel's: 500ms, 10s, 5m, 1h30m, 1d or PT10S; a bare number is "
            + "milliseconds.";

    @Parameters(paramLabel = "SOURCE", arity = "0..*",
            description = "Directories to mirror. Relative paths resolve against the shell's current directory ($PWD). "
                    + "Without SOURCE, the jobs of --routes (default ./routes) and of the properties file run.")
    List<String> sources;

    @Option(names = "--routes", paramLabel = "DIR",
            description = "Also run the jobs defined by the YAML routes (*.camel.yaml) in DIR: templatedRoute instances of "
                    + "autosync-job, plus any route of yours. Default: ./routes when no SOURCE is given. Empty disables.")
    Path routes;

    @Option(names = {"--target_container", "--target-container"}, paramLabel = "BUCKET",
            description = "Bucket (or, with --actor=swift, container) to mirror into. Created if it does not exist. "
                    + "Default with --embedded-s3: autosync. Not used with --actor=CLASS (give the actor its container "
                    + "as a setting).")
    String targetContainer;

    @Option(names = "--target", paramLabel = "URI",
            description = "Fan-out: mirror every SOURCE into each of several targets (repeatable), each with its own "
                    + "state, retries and summary line: s3://BUCKET[/PREFIX][?endpoint=URL&region=R&profile=P"
                    + "&access_key_env=VAR&secret_key_env=VAR] or swift://CONTAINER[/PREFIX] (with the --swift_* options). "
                    + "PREFIX is that target's --target_prefix. Not combinable with --target_container/--target_prefix/--actor.")
    List<String> targets;

    @Option(names = {"--target_prefix", "--target-prefix"}, paramLabel = "PREFIX", defaultValue = "",
            description = "Prefix joined in front of every key with one '/'.")
    String targetPrefix;

    @Option(names = {"--source_prefix", "--source-prefix"}, paramLabel = "PATH",
            description = "Stripped from each file's absolute path (by whole path segments) to form its key. "
                    + "Default: none, so keys are absolute paths without the leading '/' (as the original autosync's; a "
                    + "YAML job's sourcePrefix defaults to its source instead).")
    String sourcePrefix;

    @Option(names = {"--source_filter", "--source-filter"}, paramLabel = "REGEX", defaultValue = "^.*$",
            description = "Only files whose absolute path matches (anchored at the start, like Python's re.match) "
                    + "are mirrored; objects of other paths are never deleted.")
    String sourceFilter;

    @Option(names = "--actor", paramLabel = "NAME", defaultValue = "s3",
            description = "Target backend: s3, swift, or the fully qualified name of a class on the classpath that "
                    + "implements org.autosync.targets.Actor (an integrator actor).")
    String actor;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "S3-compatible endpoint (path-style access). Default: AWS.")
    String endpoint;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Region. Default: the AWS SDK's region chain, or us-east-1 with --endpoint.")
    String region;

    @Option(names = "--once", description = "One full pass, a summary, then exit.")
    boolean once;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s",
            converter = Converters.DurationConverter.class,
            description = "Continuous mode: how often the source is re-scanned (no request to the target when nothing "
                    + "changed)." + DURATION_RULE)
    Duration interval;

    @Option(names = {"--reconcile_interval", "--reconcile-interval"}, paramLabel = "DURATION", defaultValue = "15m",
            converter = Converters.DurationConverter.class,
            description = "Continuous mode: how often the target is listed and compared with the source in full."
                    + DURATION_RULE)
    Duration reconcileInterval;

    @Option(names = {"--dry-run", "--dry_run", "-n"}, description = "Print the plan; change nothing.")
    boolean dryRun;

    @Option(names = {"--quiet", "-q"},
            description = "No log line per upload and per delete (by default each is logged at INFO, like rclone -v). "
                    + "Warnings, errors and the --once summary remain.")
    boolean quiet;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "16", description = "Parallel uploads per source.")
    int threads;

    @Option(names = {"--follow_symlinks", "--follow-symlinks"},
            description = "Descend into symlinked directories (with a loop guard). Symlinked files are always uploaded with their target's content.")
    boolean followSymlinks;

    @Option(names = {"--multipart_threshold", "--multipart-threshold"}, paramLabel = "SIZE", defaultValue = "64MiB",
            converter = Converters.SizeConverter.class,
            description = "Files this large or larger are uploaded in parts, in parallel.")
    long multipartThreshold;

    @Option(names = {"--part_size", "--part-size"}, paramLabel = "SIZE", defaultValue = "16MiB",
            converter = Converters.SizeConverter.class, description = "Multipart part size (grown to stay within 10,000 parts).")
    long partSize;

    @Option(names = {"--state_dir", "--state-dir"}, paramLabel = "DIR",
            description = "Where sync state is kept. Default: $XDG_STATE_HOME/autosync or ~/.local/state/autosync.")
    Path stateDir;

    @Option(names = {"--state_url", "--state-url"}, paramLabel = "URL", converter = Converters.StateUrlConverter.class,
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Keep the sync state (and multipart journal) in PostgreSQL instead of --state_dir, shared by "
                    + "every node of a job (the same target and source path): " + PostgresUrl.FORM + ". Without "
                    + "password=, $PGPASSWORD. The password is never printed. Applies to the jobs of --routes too.")
    String stateUrl;
    @Option(names = "--cluster", paramLabel = "URI",
            description = "High availability: run the same command on several hosts that share the source; only the "
                    + "leader mirrors, another takes over when it dies. file:DIR (a lock file in a directory all nodes "
                    + "share) or zookeeper:HOST:PORT[,HOST:PORT...][/PATH]. Not with --once.")
    String cluster;

    @Option(names = {"--embedded-s3", "--embedded_s3"}, paramLabel = "DIR", arity = "0..1", fallbackValue = "autosync-s3",
            description = "Start an S3 server in-process on 127.0.0.1 (S3Proxy) storing under DIR (default when given "
                    + "without a value: ./autosync-s3), print its endpoint and credentials, and mirror into it.")
    Path embeddedS3;

    @Option(names = {"--max_delete", "--max-delete"}, paramLabel = "N|P%", defaultValue = "50%",
            converter = Converters.MaxDeleteConverter.class,
            description = "Most deletes one reconciliation pass may make, as a count or a share of the objects in scope; "
                    + "over it nothing is deleted and --once exits 3. A percentage always allows 10. 100%% = no limit. "
                    + "Deletes from events are held to the same limit per 60 s.")
    MaxDelete maxDelete;

    @Option(names = {"--no-delete", "--no_delete"}, description = "Never delete anything from the target.")
    boolean noDelete;

    @Option(names = {"--backup_prefix", "--backup-prefix"}, paramLabel = "PREFIX",
            description = "Before deleting an object, copy it (server-side) to PREFIX/<key> in the same bucket. "
                    + "Keys under PREFIX are never deleted or overwritten by any job.")
    String backupPrefix;

    @Option(names = {"--settle_time", "--settle-time"}, paramLabel = "DURATION", defaultValue = "500ms",
            converter = Converters.DurationConverter.class,
            description = "A file is uploaded only once its mtime is at least this far in the past (it is skipped "
                    + "until then; --once waits for it). 0 disables." + DURATION_RULE)
    Duration settleTime;

    @Option(names = {"--exclude_temp", "--exclude-temp"}, paramLabel = "GLOB[,GLOB...]",
            defaultValue = TempFileNames.DEFAULT_GLOBS,
            description = "File names (globs on the name only) of files being written, never uploaded; objects "
                    + "with such names are never deleted. Empty disables.")
    String excludeTemp;

    @Option(names = {"--swift_auth_url", "--swift-auth-url"}, paramLabel = "URL",
            description = "With --actor=swift: the v1 auth URL (tempauth), e.g. http://127.0.0.1:8080/auth/v1.0, or a "
                    + "Keystone v3 URL ending in /v3 (then also --swift_project). Default: $ST_AUTH.")
    String swiftAuthUrl;

    @Option(names = {"--swift_user", "--swift-user"}, paramLabel = "ACCOUNT:USER",
            description = "With --actor=swift: the user, e.g. test:tester (v1), or the user name (Keystone). Default: $ST_USER.")
    String swiftUser;

    @Option(names = {"--swift_key", "--swift-key"}, paramLabel = "KEY", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "With --actor=swift: the user's key. Prefer the environment: $SWIFT_KEY or $ST_KEY. Never printed.")
    String swiftKey;

    @Option(names = {"--actor_option", "--actor-option"}, paramLabel = "KEY=VALUE", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "With --actor=CLASS: a setting of the actor, bound like a Camel bean property (repeatable). The "
                    + "actor is the bean 'actor': the same as camel.beans.actor=#class:CLASS and camel.beans.actor.KEY=VALUE "
                    + "in the properties file, which these options override. Unknown keys are an error.")
    java.util.Map<String, String> actorOptions;

    @Option(names = "--properties", paramLabel = "FILE",
            description = "Camel's properties file: camel.* settings, jobs as camel.route-template[n].* instances of "
                    + "autosync-job, and beans such as an integrator actor's settings (camel.beans.actor.KEY). "
                    + "Default: ./application.properties if present, else application.properties on the classpath.")
    Path propertiesFile;

    @Option(names = {"--shutdown_timeout", "--shutdown-timeout"}, paramLabel = "DURATION", defaultValue = "30s",
            converter = Converters.DurationConverter.class,
            description = "On SIGTERM or Ctrl-C: stop taking new work and give uploads in flight this long to finish; "
                    + "then they are aborted. The exit code is 0 after such an orderly stop." + DURATION_RULE)
    Duration shutdownTimeout;

    @Option(names = {"--http_port", "--http-port"}, paramLabel = "PORT",
            description = "Serve health checks at /observe/health and Prometheus metrics at /observe/metrics on this port "
                    + "(camel-main's embedded HTTP server). Default: no HTTP server.")
    Integer httpPort;

    @Option(names = {"--http_host", "--http-host"}, paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "With --http_port: the address the HTTP server binds (0.0.0.0 for every interface).")
    String httpHost;

    @Option(names = {"--progress_interval", "--progress-interval"}, paramLabel = "DURATION", defaultValue = "30s",
            converter = Converters.DurationConverter.class,
            description = "While a reconciliation pass uploads, log files and bytes done, rate and ETA this often; "
                    + "0 disables." + DURATION_RULE)
    Duration progressInterval;

    @Option(names = "--watch", paramLabel = "events|poll", defaultValue = "events",
            converter = Converters.WatchModeConverter.class,
            description = "Continuous mode: react to file-system events (inotify) within the settle time, or only "
                    + "re-scan every --interval (poll: for NFS, SMB, FUSE). Both keep the re-scan and the reconciliation.")
    WatchMode watch;

    @Option(names = {"--swift_project", "--swift-project"}, paramLabel = "PROJECT",
            description = "With --actor=swift and a Keystone v3 --swift_auth_url (ending in /v3): the project the token "
                    + "is scoped to. Default: $OS_PROJECT_NAME.")
    String swiftProject;

    @Option(names = {"--swift_domain", "--swift-domain"}, paramLabel = "DOMAIN",
            description = "With Keystone v3: the domain of the user and the project, by name (case-sensitive). "
                    + "Default: $OS_USER_DOMAIN_NAME, else Default.")
    String swiftDomain;

    /** The actor a program gave to {@link Autosync#run(org.autosync.targets.Actor, String...)}; not an option. */
    ProvidedActor providedActor;

    @Override
    public Integer call() {
        return new MirrorApplication(this).run();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AutosyncCommand.class.getPackage().getImplementationVersion();
            return new String[] {"autosync " + (v == null ? "development build" : v)};
        }
    }
}
