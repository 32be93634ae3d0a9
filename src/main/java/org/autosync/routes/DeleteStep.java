package org.autosync.routes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.autosync.job.MirrorJob;
import org.autosync.safety.DeletePolicy;
import org.autosync.safety.DeletionGate;
import org.autosync.targets.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a job's one delete route (bean {@code <job>-delete}): the job's {@link DeletionGate} first, then
 * the delete itself, with a backup copy first when the job keeps backups.
 */
public final class DeleteStep {

    private static final Logger LOG = LoggerFactory.getLogger(DeleteStep.class);

    private final MirrorJob job;

    DeleteStep(MirrorJob job) {
        this.job = job;
    }

    /**
     * Safety step: takes a body of one key or a collection of keys and leaves the keys the gate admits as a list.
     * A batch a reconciliation pass approved (the exchange property {@link RouteTransfers#DELETE_APPROVED}, which
     * no message can carry) was decided by the pass; any other must fit the event-delete limit, else it is refused
     * whole and {@link AutosyncHeaders#DELETE_REFUSED} says why.
     */
    public void guardDeletes(Exchange exchange) throws InvalidPayloadException {
        Message in = exchange.getMessage();
        List<String> keys = keysOf(in);
        boolean approved = exchange.getProperty(RouteTransfers.DELETE_APPROVED, false, Boolean.class);
        DeletionGate.Admission admission = job.gate().admit(keys, approved);
        in.setBody(admission.keys());
        if (admission.railTripped()) {
            job.eventDeletesRefused(keys.size(), admission.refused().orElseThrow());
        }
        if (admission.refused().isPresent()) {
            in.setHeader(AutosyncHeaders.DELETE_REFUSED, admission.refused().get());
        }
        if (admission.keys().isEmpty()) {
            exchange.setRouteStop(true);
        }
    }

    private static List<String> keysOf(Message in) throws InvalidPayloadException {
        Object body = in.getBody();
        if (body instanceof String key) {
            return List.of(key);
        }
        if (body instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return List.of(in.getMandatoryBody(String.class));
    }

    /**
     * Delete step: one batch of keys; keys the target refused are logged and counted as failures. With a
     * backup prefix, each key is first copied to its backup key, and a key whose copy failed is not deleted.
     */
    public void delete(Exchange exchange) throws InvalidPayloadException {
        @SuppressWarnings("unchecked")
        List<String> keys = exchange.getMessage().getMandatoryBody(List.class);
        DeletePolicy policy = job.spec().deletes();
        Actor actor = job.actor();
        if (job.spec().dryRun()) {
            keys.forEach(k -> {
                if (policy.backsUp()) {
                    LOG.info("dry-run: would copy {} to {} and delete {}", k, policy.backupKeyOf(k), k);
                } else {
                    LOG.info("dry-run: would delete {}", k);
                }
            });
            // the dry run's summary counts what the run would delete, as it counts what it would upload
            job.stats().deleted(keys.size());
            return;
        }
        List<Actor.DeleteFailure> failures = new ArrayList<>();
        List<String> deletable = keys;
        if (policy.backsUp()) {
            deletable = new ArrayList<>(keys.size());
            for (String key : keys) {
                String backupKey = policy.backupKeyOf(key);
                try {
                    actor.copy(key, backupKey);
                    deletable.add(key);
                } catch (Exception e) {
                    failures.add(new Actor.DeleteFailure(key, "not deleted, because its backup copy to " + backupKey
                            + " failed: " + actor.explain(e)));
                }
            }
        }
        if (!deletable.isEmpty()) {
            failures.addAll(actor.delete(deletable));
        }
        Set<String> failedKeys = failures.stream().map(Actor.DeleteFailure::key).collect(Collectors.toSet());
        failures.forEach(f -> LOG.warn("delete of {} failed: {}", f.key(), f.reason()));
        boolean quiet = UploadStep.quiet(exchange);
        keys.stream().filter(k -> !failedKeys.contains(k)).forEach(k -> {
            job.state().forget(k);
            if (!quiet) {
                LOG.info("{}: deleted {}{}", job.id(), k, policy.backsUp() ? " (copied to " + policy.backupKeyOf(k) + " first)" : "");
            }
        });
        job.stats().deleted(keys.size() - failedKeys.size());
        job.stats().failed(failedKeys.size());
        if (!failedKeys.isEmpty()) {
            job.deletesNotDone(failedKeys.size());
        }
    }
}
