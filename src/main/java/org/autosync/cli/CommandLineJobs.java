package org.autosync.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.autosync.config.JobParameters;
import org.autosync.keys.KeyMapper;
import org.autosync.targets.TargetUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs the flags describe, as parameters of the {@code autosync-job} template: one job per SOURCE and target,
 * with the ids {@code job1}, {@code job2}, ... (one target) or {@code job1-t1}, {@code job1-t2}, ... (fan-out with
 * {@code --target}). Each job says explicitly what the flags mean, defaults included. Where the flags and a YAML job
 * differ, the flags keep the original autosync's meaning: without {@code --source_prefix}, a key is the file's
 * absolute path without its leading '/' ({@code sourcePrefix} "/"), where a YAML job's keys are relative to its
 * source. The parameters are checked here with {@link JobParameters#parse}, the check the template makes, so a
 * mistake stops the run before anything starts.
 */
final class CommandLineJobs {

    private static final Logger LOG = LoggerFactory.getLogger(CommandLineJobs.class);

    /**
     * What the {@code --once} summary reports on: a target of the flags with its jobs, one per SOURCE. The one
     * target of the classic flags is {@code command-line} (its label is its actor's description); fan-out targets
     * are {@code t1}, {@code t2}, ... labelled with their URI.
     */
    record Unit(String name, String label, List<String> jobIds) {
    }

    private final AutosyncCommand options;
    private final String pwd;
    private final List<Map<String, String>> jobs = new ArrayList<>();
    private final List<Unit> units = new ArrayList<>();

    private CommandLineJobs(AutosyncCommand options, String pwd) {
        this.options = options;
        this.pwd = pwd;
    }

    /**
     * The jobs of the flags (none without SOURCE), checked.
     *
     * @param pwd the shell's {@code $PWD}, against which relative paths resolve
     * @throws ConfigurationException naming the flag or the job parameter at fault
     */
    static CommandLineJobs of(AutosyncCommand options, String pwd) {
        CommandLineJobs jobs = new CommandLineJobs(options, pwd);
        if (options.sources != null && !options.sources.isEmpty()) {
            jobs.build();
        }
        return jobs;
    }

    /** Each job's template parameters, in job order. */
    List<Map<String, String>> jobs() {
        return jobs;
    }

    List<String> jobIds() {
        return jobs.stream().map(p -> p.get("jobId")).toList();
    }

    List<Unit> units() {
        return units;
    }

    /** The classic flags (one target, not {@code --target}): the summary is one line. */
    boolean classic() {
        return units.size() == 1 && units.get(0).label() == null;
    }

    private void build() {
        boolean fanOut = options.targets != null && !options.targets.isEmpty();
        if (fanOut) {
            rejectSingleTargetOptions();
        }
        String sourcePrefix = sourcePrefix();
        List<Path> sources = sources(sourcePrefix);
        if (fanOut) {
            List<TargetUri> uris = fanOutTargets();
            for (int t = 0; t < uris.size(); t++) {
                String name = "t" + (t + 1);
                addUnit(name, label(uris.get(t)), sources, sourcePrefix, "-" + name, Map.of("target", options.targets.get(t)));
            }
        } else if (IntegratorActors.used(options)) {
            IntegratorActors.check(options);
            addUnit("command-line", null, sources, sourcePrefix, "", Map.of("targetPrefix", options.targetPrefix));
        } else {
            addUnit("command-line", null, sources, sourcePrefix, "", Map.of("target", classicTarget()));
        }
        for (Map<String, String> job : jobs) {
            try {
                JobParameters.parse(job, pwd);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage());
            }
        }
    }

    private void addUnit(String name, String label, List<Path> sources, String sourcePrefix, String idSuffix,
                         Map<String, String> target) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            String jobId = "job" + (i + 1) + idSuffix;
            Map<String, String> p = new LinkedHashMap<>();
            p.put("jobId", jobId);
            p.put("source", sources.get(i).toString());
            p.putAll(target);
            if (!target.containsKey("target")) {
                p.put("actor", "#" + IntegratorActors.beanName(options, jobId));
            }
            p.put("sourcePrefix", sourcePrefix);
            p.putAll(settings());
            jobs.add(p);
            ids.add(jobId);
        }
        units.add(new Unit(name, label, List.copyOf(ids)));
    }

    /** What every job of the flags shares: the flags' values, defaults included, as template parameters. */
    private Map<String, String> settings() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("filter", options.sourceFilter);
        p.put("excludeTemp", options.excludeTemp);
        p.put("interval", millis(options.interval));
        p.put("reconcileInterval", millis(options.reconcileInterval));
        p.put("threads", String.valueOf(options.threads));
        p.put("settleTime", millis(options.settleTime));
        p.put("watch", options.watch.name().toLowerCase(Locale.ROOT));
        p.put("followSymlinks", String.valueOf(options.followSymlinks));
        p.put("maxDelete", options.maxDelete.toString());
        p.put("noDelete", String.valueOf(options.noDelete));
        p.put("backupPrefix", options.backupPrefix == null ? "" : options.backupPrefix);
        p.put("multipartThreshold", String.valueOf(options.multipartThreshold));
        p.put("partSize", String.valueOf(options.partSize));
        if (options.cluster != null) {
            p.put("cluster", options.cluster);
        }
        return p;
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }

    /**
     * {@code --source_prefix} made absolute against $PWD (a trailing '/' kept); without it "/", so keys are absolute
     * paths without the leading '/', as the original autosync made them (less that slash).
     */
    private String sourcePrefix() {
        if (options.sourcePrefix == null) {
            return "/";
        }
        try {
            return KeyMapper.absoluteFromLogicalPwd(options.sourcePrefix, pwd) + (options.sourcePrefix.endsWith("/") ? "/" : "");
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--source_prefix: " + e.getMessage());
        }
    }

    /** The SOURCE directories, absolute; each must exist, be readable and lie under the source prefix. */
    private List<Path> sources(String sourcePrefix) {
        KeyMapper mapper;
        try {
            mapper = new KeyMapper(options.sourcePrefix == null ? null : sourcePrefix, options.targetPrefix);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        if (mapper.originalWouldHaveLeadingSlash()) {
            LOG.info("keys never start with '/': where the original autosync would have produced '/x', the key is 'x'");
        }
        List<Path> dirs = new ArrayList<>();
        for (String arg : options.sources) {
            Path dir = KeyMapper.absoluteFromLogicalPwd(arg, pwd);
            if (!Files.exists(dir)) {
                throw new ConfigurationException("source " + arg + " does not exist");
            }
            if (!Files.isDirectory(dir)) {
                throw new ConfigurationException("source " + arg + " is not a directory");
            }
            if (!Files.isReadable(dir)) {
                throw new ConfigurationException("source " + arg + " is not readable");
            }
            try {
                mapper.scopePrefixFor(dir);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("source " + dir + " is not under --source_prefix " + options.sourcePrefix);
            }
            dirs.add(dir);
        }
        return dirs;
    }

    /** {@code --actor=s3} or {@code swift} with {@code --target_container} and {@code --target_prefix}, as a target URI. */
    private String classicTarget() {
        String container;
        if ("swift".equals(options.actor)) {
            container = SwiftOptions.container(options, System.getenv());
        } else {
            container = options.targetContainer != null ? options.targetContainer
                    : options.embeddedS3 != null ? S3Service.EMBEDDED_BUCKET : null;
            if (container == null) {
                throw new ConfigurationException("--target_container is required (the bucket to mirror into)");
            }
        }
        String prefix = options.targetPrefix == null ? "" : options.targetPrefix;
        if (prefix.contains("?")) {
            throw new ConfigurationException("--target_prefix must not contain '?'");
        }
        if (container.contains("/") || container.contains("?")) {
            throw new ConfigurationException("--target_container must not contain '/' or '?'");
        }
        return options.actor + "://" + container + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** {@code --target} is the fan-out spelling; the single-target flags would be ambiguous next to it. */
    private void rejectSingleTargetOptions() {
        if (options.targetContainer != null) {
            throw new ConfigurationException("--target and --target_container do not combine: give the bucket or container "
                    + "in each --target URI (s3://BUCKET/PREFIX, swift://CONTAINER/PREFIX)");
        }
        if (options.targetPrefix != null && !options.targetPrefix.isEmpty()) {
            throw new ConfigurationException("--target and --target_prefix do not combine: give the prefix in each --target URI "
                    + "(s3://BUCKET/PREFIX)");
        }
        if (!"s3".equals(options.actor) || options.providedActor != null) {
            throw new ConfigurationException("--target and --actor do not combine: each --target URI's scheme (s3://, swift://) "
                    + "chooses its actor");
        }
        if (options.embeddedS3 != null) {
            throw new ConfigurationException("--target and --embedded-s3 do not combine: start the S3 server separately and "
                    + "name it with s3://BUCKET?endpoint=URL");
        }
    }

    /** The {@code --target}s, parsed; each place only once. */
    private List<TargetUri> fanOutTargets() {
        List<TargetUri> uris = new ArrayList<>();
        for (String text : options.targets) {
            TargetUri uri;
            try {
                uri = TargetUri.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage().replace("invalid target", "invalid --target"));
            }
            for (TargetUri other : uris) {
                if (other.sameTargetAs(uri)) {
                    throw new ConfigurationException("--target " + uri.label() + " is given twice");
                }
            }
            uris.add(uri);
        }
        return uris;
    }

    /** A fan-out target in the summary: its URI without parameters, and the S3 endpoint it reaches. */
    private String label(TargetUri uri) {
        String endpoint = uri.isS3() ? uri.params().getOrDefault("endpoint", options.endpoint) : null;
        return uri.label() + (endpoint != null ? " at " + endpoint : "");
    }
}
