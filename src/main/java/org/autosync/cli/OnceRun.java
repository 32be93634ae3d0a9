package org.autosync.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.autosync.errors.Causes;
import org.autosync.job.JobHealth;
import org.autosync.job.MirrorJob;
import org.autosync.job.MirrorStats;
import org.autosync.routes.AutosyncJobs;
import org.autosync.routes.MirrorRouteTemplates;

/**
 * Once Camel started: checks that there is a job at all, and with {@code --once} runs one reconciliation pass per
 * job, prints the summary, then ends main. What the summary reports on is a unit: a target of the flags with its
 * jobs (one per SOURCE), or a job of the routes or the properties. Each unit's passes run in a thread of their own,
 * so a slow or unreachable target delays only its own jobs; with several units there is one line per unit plus a
 * total, and the exit code is the worst.
 */
final class OnceRun extends MainListenerSupport {

    private record Unit(String name, String label, List<MirrorJob> jobs) {
    }

    private final CommandLineJobs flags;
    private final boolean once;
    private final boolean dryRun;
    private final PrintStream out;
    private final PrintStream err;
    private volatile List<MirrorJob> allJobs = List.of();
    private volatile int exitCode = ExitCode.OK;

    OnceRun(CommandLineJobs flags, boolean once, boolean dryRun, PrintStream out, PrintStream err) {
        this.flags = flags;
        this.once = once;
        this.dryRun = dryRun;
        this.out = out;
        this.err = err;
    }

    /** Every job of the run, once Camel started (for an orderly stop). */
    List<MirrorJob> allJobs() {
        return allJobs;
    }

    /** The run's exit code, once main ended. */
    int exitCode() {
        return exitCode;
    }

    @Override
    public void afterStart(BaseMainSupport base) {
        Main main = (Main) base;
        List<Unit> units = units(main.getCamelContext());
        allJobs = units.stream().flatMap(u -> u.jobs().stream()).toList();
        if (allJobs.isEmpty()) {
            err.println("autosync: nothing to mirror: no SOURCE was given, and the routes and properties define no job "
                    + "(a templatedRoute of " + MirrorRouteTemplates.JOB + ")");
            exitCode = ExitCode.CONFIG_ERROR;
            main.completed();
            return;
        }
        if (!once) {
            return;
        }
        Map<MirrorJob, Integer> codes = passes(main, units);
        String head = dryRun ? "autosync (dry run): " : "autosync: ";
        MirrorStats.Snapshot total = MirrorStats.Snapshot.zero();
        int worst = ExitCode.OK;
        for (MirrorJob job : allJobs) {
            total = total.plus(job.stats().snapshot());
            worst = Math.max(worst, codes.getOrDefault(job, ExitCode.TRANSFER_FAILED));
        }
        if (flags.classic() && units.size() == 1) {
            out.println(head + total);
        } else {
            for (Unit unit : units) {
                MirrorStats.Snapshot sum = MirrorStats.Snapshot.zero();
                int code = ExitCode.OK;
                for (MirrorJob job : unit.jobs()) {
                    sum = sum.plus(job.stats().snapshot());
                    code = Math.max(code, codes.getOrDefault(job, ExitCode.TRANSFER_FAILED));
                }
                String label = unit.label() != null ? unit.label() : unit.jobs().get(0).actor().describe();
                out.println(head + unit.name() + " " + label + ": "
                        + (code == ExitCode.OK ? "in sync" : "FAILED (exit " + code + ")") + ", " + sum);
            }
            boolean onlyTargets = units.size() == flags.units().size();
            out.println(head + "total over " + units.size() + (onlyTargets ? " targets: " : " jobs: ") + total);
        }
        exitCode = worst;
        main.completed();
    }

    /** The units of the flags, in their order, then one per other job by id. */
    private List<Unit> units(CamelContext context) {
        List<Unit> units = new ArrayList<>();
        for (CommandLineJobs.Unit unit : flags.units()) {
            units.add(new Unit(unit.name(), unit.label(),
                    unit.jobIds().stream().map(id -> AutosyncJobs.job(context, id)).toList()));
        }
        Set<String> flagJobs = Set.copyOf(flags.jobIds());
        AutosyncJobs.jobs(context).stream()
                .filter(job -> !flagJobs.contains(job.id()))
                .sorted(Comparator.comparing(MirrorJob::id))
                .forEach(job -> units.add(new Unit(job.id(), job.actor().describe(), List.of(job))));
        return units;
    }

    /** One pass of every job: a thread per unit, its jobs one after another. */
    private Map<MirrorJob, Integer> passes(Main main, List<Unit> units) {
        Map<MirrorJob, Integer> codes = new ConcurrentHashMap<>();
        ExecutorService passes = Executors.newFixedThreadPool(units.size(), r -> {
            Thread t = new Thread(r, "autosync-once-pass");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Unit unit : units) {
                futures.add(passes.submit(() -> unit.jobs().forEach(job -> codes.put(job, pass(main, job)))));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    err.println("autosync: " + Causes.rootMessage(e));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            passes.shutdownNow();
        }
        return codes;
    }

    /** One job's pass: its exit code contribution. */
    private int pass(Main main, MirrorJob job) {
        int code = ExitCode.OK;
        try {
            main.getCamelTemplate().requestBody(MirrorRouteTemplates.reconcileUri(job.id()), (Object) null);
            if (job.lastPassIncomplete()) {
                code = Math.max(code, ExitCode.TRANSFER_FAILED);
            }
            if (job.health().status() == JobHealth.Status.RAIL_TRIPPED) {
                // the pass logged the one line that says why, with the numbers
                code = Math.max(code, ExitCode.SAFETY_RAIL);
            }
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            Optional<String> setup = AwsSetup.explain(cause);
            boolean config = setup.isPresent() || job.actor().isConfigurationError(cause);
            err.println("autosync: " + job.id() + " (" + job.spec().source() + "): "
                    + setup.orElseGet(() -> job.actor().explain(cause)));
            code = Math.max(code, config ? ExitCode.CONFIG_ERROR : ExitCode.TRANSFER_FAILED);
        } catch (Exception e) {
            err.println("autosync: " + job.id() + " (" + job.spec().source() + "): " + Causes.rootMessage(e));
            code = Math.max(code, ExitCode.TRANSFER_FAILED);
        }
        if (job.stats().snapshot().failed() > 0) {
            code = Math.max(code, ExitCode.TRANSFER_FAILED);
        }
        return code;
    }
}
