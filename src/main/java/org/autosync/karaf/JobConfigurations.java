package org.autosync.karaf;

import java.net.URI;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.autosync.routes.AutosyncJobs;

/**
 * The jobs of a CamelContext kept equal to the configurations of the factory PID {@value #FACTORY_PID}: one job per
 * configuration, made from its properties as the {@code autosync-job} template's parameters (through
 * {@link AutosyncJobs#add}, the path every front end's jobs take; durations are Camel's, a bare number being
 * milliseconds). In Karaf a file {@code etc/org.autosync-NAME.cfg} is such a configuration, and NAME is the job's
 * id unless it sets {@code jobId}.
 * No OSGi type appears here; {@link Activator} only passes ConfigAdmin's calls on.
 */
public final class JobConfigurations {

    public static final String FACTORY_PID = "org.autosync";
    /** Properties that ConfigAdmin, fileinstall and Karaf's feature service add: never job parameters. */
    private static final List<String> FRAMEWORK_PREFIXES = List.of("service.", "felix.fileinstall.", "org.apache.karaf.");
    private static final String FILE_NAME = "felix.fileinstall.filename";

    private final CamelContext context;
    private final Map<String, String> jobOfPid = new HashMap<>();

    public JobConfigurations(CamelContext context) {
        this.context = context;
    }

    /**
     * Makes the job of a configuration, replacing the one it had: that job is stopped and removed first, so a
     * configuration that is now invalid leaves no job running.
     *
     * @throws IllegalArgumentException naming the job and the parameter at fault
     */
    public synchronized void update(String pid, Map<String, ?> properties) throws Exception {
        remove(pid);
        Map<String, Object> parameters = parameters(pid, properties);
        AutosyncJobs.add(context, parameters);
        jobOfPid.put(pid, parameters.get("jobId").toString());
    }

    /** Stops and removes the job of a deleted configuration. Deletes nothing in its target. */
    public synchronized void remove(String pid) throws Exception {
        String jobId = jobOfPid.remove(pid);
        if (jobId != null) {
            AutosyncJobs.remove(context, jobId);
        }
    }

    /** The id of the job a configuration made, or null. */
    public synchronized String jobOf(String pid) {
        return jobOfPid.get(pid);
    }

    /**
     * The job parameters of a configuration: its properties less the framework's, each value as text (a list or
     * array joined with commas), and {@code jobId} set.
     */
    static Map<String, Object> parameters(String pid, Map<String, ?> properties) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (value != null && FRAMEWORK_PREFIXES.stream().noneMatch(key::startsWith)) {
                parameters.put(key, text(value));
            }
        });
        parameters.put("jobId", jobId(pid, properties));
        return parameters;
    }

    /**
     * The job's id: the {@code jobId} property; else NAME of the file {@code org.autosync-NAME.cfg} it was read
     * from (fileinstall splits the file name at its first '-' into factory PID and name); else NAME of a named
     * factory configuration's PID {@code org.autosync~NAME}.
     */
    static String jobId(String pid, Map<String, ?> properties) {
        Object given = properties.get("jobId");
        if (given != null && !text(given).isBlank()) {
            return text(given).trim();
        }
        Object file = properties.get(FILE_NAME);
        if (file != null) {
            String path = URI.create(file.toString()).getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            int dash = name.indexOf('-');
            int dot = name.lastIndexOf('.');
            if (dash > 0 && dot > dash + 1) {
                return name.substring(dash + 1, dot);
            }
        }
        int tilde = pid.indexOf('~');
        if (tilde >= 0 && tilde < pid.length() - 1) {
            return pid.substring(tilde + 1);
        }
        throw new IllegalArgumentException("configuration " + pid + ": the job has no name: give the parameter jobId,"
                + " or name the file etc/" + FACTORY_PID + "-NAME.cfg");
    }

    private static String text(Object value) {
        Stream<?> values;
        if (value instanceof Collection<?> c) {
            values = c.stream();
        } else if (value instanceof Object[] a) {
            values = Stream.of(a);
        } else {
            return value.toString();
        }
        return values.map(String::valueOf).collect(Collectors.joining(","));
    }
}
