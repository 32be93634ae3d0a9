package org.autosync.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apache.camel.util.StringHelper;
import org.autosync.job.JobSpec;
import org.autosync.keys.BucketNames;
import org.autosync.keys.KeyMapper;
import org.autosync.local.SourceFilter;
import org.autosync.local.TempFileNames;
import org.autosync.safety.DeletePolicy;
import org.autosync.safety.MaxDelete;
import org.autosync.state.postgres.PostgresUrl;
import org.autosync.targets.TargetUri;
import org.autosync.targets.s3.S3ActorSettings;
import org.autosync.watch.WatchMode;

/**
 * One sync job as flat, named string parameters: the parameters of the {@code autosync-job} route template, so
 * what a YAML {@code templatedRoute}, {@code camel.route-template[n].*} properties, a Karaf configuration and the
 * command line's flags give. {@link #parse} checks them all and names the parameter at fault; {@link #toSpec} makes
 * the job's {@link JobSpec}. {@code sourcePrefix} defaults to the source directory itself, so keys are paths
 * relative to the source (as with {@code rclone sync}); the command line passes "/" instead when it has no
 * {@code --source_prefix}, for the original autosync's absolute keys. Durations are Camel's ({@link Values#duration}:
 * a bare number is milliseconds).
 */
public record JobParameters(String jobId, Path source, TargetUri target, String actor, String targetPrefix,
                            String sourcePrefix, String filter, String excludeTemp, Duration interval,
                            Duration reconcileInterval, int threads, Duration settleTime, WatchMode watch,
                            boolean followSymlinks, MaxDelete maxDelete, boolean noDelete, String backupPrefix,
                            Path stateDir, PostgresUrl stateUrl, Duration progressInterval, long multipartThreshold,
                            long partSize, ClusterUri cluster) {

    /** One template parameter: its name, its default (null = none), and what it means. */
    public record Parameter(String name, String defaultValue, String description) {
    }

    /** How every duration parameter is read ({@link Values#duration}), said in each one's description. */
    private static final String DURATION = " A duration: 500ms, 10s, 5m, 1h30m, 1d or PT10S; a bare number is milliseconds.";

    /** How every size parameter is read ({@link Values#size}). */
    private static final String SIZE = " A size in bytes, with an optional binary unit: 512k, 64M, 64MiB, 1G.";

    /** Every parameter, in the order the documentation lists them. */
    public static final List<Parameter> PARAMETERS = List.of(
            new Parameter("jobId", null, "Names the job: its routes (autosync-*-JOBID), beans, metrics and health check. "
                    + "Letters, digits, '.', '_' and '-'."),
            new Parameter("source", null, "The directory to mirror; a relative path resolves against the working directory."),
            new Parameter("target", null, "s3://BUCKET[/PREFIX][?endpoint=URL&region=R&profile=P&access_key_env=VAR"
                    + "&secret_key_env=VAR] or swift://CONTAINER[/PREFIX][?auth_url=URL&user=U&key_env=VAR&project=P&domain=D]. "
                    + "Give target or actor."),
            new Parameter("actor", null, "Instead of target: #NAME of a bean in the registry implementing "
                    + "org.autosync.targets.Actor (your own backend, e.g. camel.beans.NAME=#class:com.x.MyActor); its "
                    + "validate() is called, and the job does not close it."),
            new Parameter("targetPrefix", "", "With actor: the prefix put in front of every key (with target, the URI's path is the prefix)."),
            new Parameter("sourcePrefix", null, "Stripped from each file's absolute path to form its key. Default: the source "
                    + "directory, so keys are relative to it."),
            new Parameter("filter", "^.*$", "Mirror only files whose absolute path matches this regex (anchored at the start)."),
            new Parameter("excludeTemp", TempFileNames.DEFAULT_GLOBS, "Globs on file names never uploaded nor deleted; empty for none."),
            new Parameter("interval", "10s", "Continuous mode: local re-scan period." + DURATION),
            new Parameter("reconcileInterval", "15m", "Continuous mode: full comparison with the target listing." + DURATION),
            new Parameter("threads", "16", "Parallel uploads."),
            new Parameter("settleTime", "500ms", "Upload a file only once its mtime is this far in the past; 0 disables." + DURATION),
            new Parameter("watch", "events", "events (inotify) or poll."),
            new Parameter("followSymlinks", "false", "Descend into symlinked directories."),
            new Parameter("maxDelete", "50%", "Most deletes per pass (N or P%); over it nothing is deleted."),
            new Parameter("noDelete", "false", "Never delete from the target."),
            new Parameter("backupPrefix", "", "Copy each object to PREFIX/<key> before deleting it; empty for none."),
            new Parameter("stateDir", "", "Where the job's sync state lives. Default: the property autosync.state-dir, "
                    + "else $XDG_STATE_HOME/autosync."),
            new Parameter("stateUrl", "", "Keep the job's sync state (and multipart journal) in PostgreSQL instead of a "
                    + "file in stateDir, shared by every node of the job: " + PostgresUrl.FORM + ". Without password=, "
                    + "$PGPASSWORD. Default: the property autosync.state-url, else none."),
            new Parameter("progressInterval", "", "While a pass uploads, log its progress this often; 0 disables. Default: "
                    + "the property autosync.progress-interval, else 30s." + DURATION),
            new Parameter("multipartThreshold", "64MiB", "S3 targets: files this large or larger are uploaded in parts, "
                    + "in parallel." + SIZE),
            new Parameter("partSize", "16MiB", "S3 targets: multipart part size, 5MiB to 5GiB (grown to stay within "
                    + "10,000 parts)." + SIZE),
            new Parameter("cluster", "", "High availability: run the job on several nodes, only the leader mirroring. "
                    + "file:DIR (a lock file in a directory all nodes share), zookeeper:HOST:PORT[,HOST:PORT...][/PATH] "
                    + "or context (the runtime's own CamelClusterService); empty for none. Not with a one-shot run."));

    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** Parameters Camel itself may add to a template instance (kamelets), which are not ours to check. */
    private static final List<String> CAMEL_PARAMETERS = List.of("parentRouteId", "parentProcessorId");

    /**
     * Checks and converts the parameters of one job. Keys may be camelCase or kebab-case ({@code reconcile-interval}),
     * as Camel allows for templates; unknown keys are refused, so a typo does not silently fall back to a default.
     *
     * @param params  the given parameters (missing ones take their defaults)
     * @param pwd     the shell's {@code $PWD} for relative sources (may be null)
     * @throws IllegalArgumentException naming the job and the parameter at fault
     */
    public static JobParameters parse(Map<String, ?> params, String pwd) {
        Map<String, String> given = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            String name = StringHelper.dashToCamelCase(k);
            if (CAMEL_PARAMETERS.contains(name)) {
                return;
            }
            if (PARAMETERS.stream().noneMatch(p -> p.name().equals(name))) {
                throw new IllegalArgumentException("job " + params.get("jobId") + ": unknown parameter '" + k + "' (known: "
                        + String.join(", ", PARAMETERS.stream().map(Parameter::name).toList()) + ")");
            }
            if (v != null) {
                given.put(name, v.toString());
            }
        });
        Reader r = new Reader(given);
        String jobId = r.required("jobId");
        if (!JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("invalid jobId '" + jobId + "': use letters, digits, '.', '_' and '-'");
        }
        r.job = jobId;
        Path source = r.value("source", s -> KeyMapper.absoluteFromLogicalPwd(s, pwd));
        if (source == null) {
            throw r.error("source", "is required");
        }
        if (!Files.isDirectory(source)) {
            throw r.error("source", Files.exists(source) ? source + " is not a directory" : source + " does not exist");
        }
        String targetText = r.text("target");
        String actor = r.text("actor");
        if ((targetText == null) == (actor == null)) {
            throw r.error("target", "give exactly one of target (s3://... or swift://...) and actor (#beanName)");
        }
        TargetUri target = targetText == null ? null : r.value("target", TargetUri::parse);
        if (target != null && target.isS3()) {
            BucketNames.violation(target.container()).ifPresent(rule -> {
                throw r.error("target", "invalid bucket name '" + target.container() + "': " + rule);
            });
        }
        if (actor != null && !actor.startsWith("#")) {
            throw r.error("actor", "refer to a bean as #NAME, got '" + actor + "'");
        }
        String targetPrefix = r.text("targetPrefix");
        if (target != null && targetPrefix != null) {
            throw r.error("targetPrefix", "is for actor; with target, put the prefix in the URI (s3://BUCKET/PREFIX)");
        }
        String sourcePrefix = r.text("sourcePrefix");
        JobParameters p = new JobParameters(jobId, source, target, actor == null ? null : actor.substring(1),
                targetPrefix == null ? "" : targetPrefix,
                sourcePrefix == null ? source.toString() : KeyMapper.absoluteFromLogicalPwd(sourcePrefix, pwd).toString(),
                r.textOr("filter"), r.textOr("excludeTemp"),
                r.value("interval", Values::duration), r.value("reconcileInterval", Values::duration),
                r.value("threads", Integer::valueOf), r.value("settleTime", Values::duration),
                r.value("watch", WatchMode::parse), r.value("followSymlinks", Reader::bool),
                r.value("maxDelete", MaxDelete::parse), r.value("noDelete", Reader::bool), r.textOr("backupPrefix"),
                r.value("stateDir", s -> s.isBlank() ? null : KeyMapper.absoluteFromLogicalPwd(s, pwd)),
                r.value("stateUrl", s -> s.isBlank() ? null : PostgresUrl.parse(s)),
                r.value("progressInterval", s -> s.isBlank() ? null : Values.duration(s)),
                r.value("multipartThreshold", Values::size), r.value("partSize", Values::size),
                r.value("cluster", s -> s.isBlank() ? null : ClusterUri.parse(s, pwd)));
        if (p.threads < 1) {
            throw r.error("threads", "must be at least 1");
        }
        if (p.settleTime.isNegative()) {
            throw r.error("settleTime", "must not be negative");
        }
        if (p.progressInterval != null && p.progressInterval.isNegative()) {
            throw r.error("progressInterval", "must not be negative");
        }
        if (p.multipartThreshold < 1) {
            throw r.error("multipartThreshold", "must be at least 1 byte");
        }
        if (p.partSize < S3ActorSettings.MIN_PART_SIZE || p.partSize > S3ActorSettings.MAX_PART_SIZE) {
            throw r.error("partSize", "must be between 5MiB and 5GiB (S3's limits), was " + p.partSize + " bytes");
        }
        p.toSpec(true, false); // checks the filter, the prefixes and the delete policy
        return p;
    }

    /** How an S3 target of this job uploads (multipart threshold and part size); the bucket is created if missing. */
    public S3ActorSettings s3Settings() {
        return S3ActorSettings.defaults().withMultipart(multipartThreshold, partSize);
    }

    /** The job's key mapping: source prefix stripped, target prefix (of the URI, or targetPrefix) in front. */
    public KeyMapper mapper() {
        try {
            KeyMapper mapper = new KeyMapper(sourcePrefix, target != null ? target.prefix() : targetPrefix);
            mapper.scopePrefixFor(source);
            return mapper;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("job " + jobId + ": " + e.getMessage());
        }
    }

    /**
     * The job's spec.
     *
     * @param continuous keep running (re-scan, events, reconciliation timer) rather than a single pass
     * @param dryRun     report what would be done, change nothing
     */
    public JobSpec toSpec(boolean continuous, boolean dryRun) {
        SourceFilter sourceFilter;
        DeletePolicy deletes;
        try {
            sourceFilter = SourceFilter.compile(filter).excluding(TempFileNames.parse(excludeTemp));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("job " + jobId + ": parameter 'filter' or 'excludeTemp': " + e.getMessage());
        }
        try {
            deletes = new DeletePolicy(noDelete, maxDelete, backupPrefix.isBlank() ? null : backupPrefix,
                    DeletePolicy.DEFAULT_WINDOW);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("job " + jobId + ": parameter 'backupPrefix': " + e.getMessage());
        }
        return new JobSpec(jobId, source, mapper(), sourceFilter, followSymlinks, dryRun, threads, continuous, interval,
                reconcileInterval, deletes, settleTime, watch);
    }

    /** Reads given values or defaults, converting them and naming the parameter when one is wrong. */
    private static final class Reader {
        private final Map<String, String> given;
        private String job = "?";

        Reader(Map<String, String> given) {
            this.given = given;
        }

        String required(String name) {
            String v = text(name);
            if (v == null) {
                throw new IllegalArgumentException("a job needs the parameter '" + name + "'");
            }
            return v;
        }

        /** The given value, or null when absent or blank. */
        String text(String name) {
            String v = given.get(name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        /** The given value (possibly empty), else the default. */
        String textOr(String name) {
            String v = given.get(name);
            return v != null ? v : defaultOf(name);
        }

        <T> T value(String name, Function<String, T> parse) {
            String v = textOr(name);
            if (v == null) {
                return null;
            }
            try {
                return parse.apply(v.trim());
            } catch (IllegalArgumentException e) {
                throw error(name, e.getMessage());
            }
        }

        IllegalArgumentException error(String name, String problem) {
            return new IllegalArgumentException("job " + job + ": parameter '" + name + "': " + problem);
        }

        static Boolean bool(String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("'" + v + "' is not true or false");
            };
        }

        private static String defaultOf(String name) {
            return PARAMETERS.stream().filter(p -> p.name().equals(name)).findFirst().map(Parameter::defaultValue).orElse(null);
        }
    }
}
