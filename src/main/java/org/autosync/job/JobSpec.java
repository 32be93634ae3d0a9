package org.autosync.job;

import java.nio.file.Path;
import java.time.Duration;

import org.autosync.keys.KeyMapper;
import org.autosync.local.SourceFilter;

/**
 * What one sync job is: a source directory, how its files map to keys, and how it runs.
 *
 * @param continuous        keep running (file route and reconciliation timer) instead of one pass
 * @param interval          continuous mode: local re-scan period
 * @param reconcileInterval continuous mode: full reconciliation period
 */
public record JobSpec(String id, Path source, KeyMapper mapper, SourceFilter filter, boolean followSymlinks,
                      boolean dryRun, int threads, boolean continuous, Duration interval, Duration reconcileInterval) {

    /** Registry name of the job's bean; its helpers are registered under this name plus a suffix. */
    public String beanName() {
        return "autosync-" + id;
    }

    public String scopePrefix() {
        return mapper.scopePrefixFor(source);
    }
}
