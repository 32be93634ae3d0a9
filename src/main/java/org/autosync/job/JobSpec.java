package org.autosync.job;

import java.nio.file.Path;
import java.time.Duration;

import org.autosync.keys.KeyMapper;
import org.autosync.local.SourceFilter;
import org.autosync.safety.DeletePolicy;

/**
 * What one sync job is: a source directory, how its files map to keys, and how it runs.
 *
 * @param continuous        keep running (file route and reconciliation timer) instead of one pass
 * @param interval          continuous mode: local re-scan period
 * @param reconcileInterval continuous mode: full reconciliation period
 * @param deletes           when and how the job may delete (--no-delete, --max_delete, --backup_prefix)
 */
public record JobSpec(String id, Path source, KeyMapper mapper, SourceFilter filter, boolean followSymlinks,
                      boolean dryRun, int threads, boolean continuous, Duration interval, Duration reconcileInterval,
                      DeletePolicy deletes) {

    public JobSpec {
        if (deletes == null) {
            deletes = DeletePolicy.defaults();
        }
    }

    /** A job with the default delete policy (50% limit, no backup). */
    public JobSpec(String id, Path source, KeyMapper mapper, SourceFilter filter, boolean followSymlinks,
                   boolean dryRun, int threads, boolean continuous, Duration interval, Duration reconcileInterval) {
        this(id, source, mapper, filter, followSymlinks, dryRun, threads, continuous, interval, reconcileInterval,
                DeletePolicy.defaults());
    }

    /** Registry name of the job's bean; its helpers are registered under this name plus a suffix. */
    public String beanName() {
        return "autosync-" + id;
    }

    public String scopePrefix() {
        return mapper.scopePrefixFor(source);
    }
}
