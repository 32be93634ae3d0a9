package org.autosync.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.autosync.config.ClusterUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link CamelClusterService} of a runtime, which the {@code master:} routes of every clustered job use
 * (camel-master takes the single one the context has). An integrator's own service, added to the context or bound
 * in the registry, is used as it is; otherwise the first clustered job makes one from its {@code cluster} URI, and
 * every other job of the runtime must name the same.
 */
public final class ClusterServices {

    /** Registry name of the URI the runtime's service was made from (when Autosync made it). */
    static final String MADE_FROM = "autosync-cluster-uri";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterServices.class);

    private ClusterServices() {
    }

    /**
     * The runtime's cluster service for a job: the context's own if it has one, else a new one made from {@code uri}
     * and added to the context.
     *
     * @throws IllegalArgumentException naming the job and saying what is wrong, in one line
     */
    public static CamelClusterService obtain(CamelContext context, String jobId, ClusterUri uri) throws Exception {
        synchronized (context) {
            Set<CamelClusterService> services = new LinkedHashSet<>(context.hasServices(CamelClusterService.class));
            if (services.isEmpty()) {
                for (CamelClusterService bound : context.getRegistry().findByType(CamelClusterService.class)) {
                    context.addService(bound, true, true);
                    services.add(bound);
                }
            }
            if (services.size() > 1) {
                throw new IllegalArgumentException("job " + jobId + ": parameter 'cluster': the runtime has "
                        + services.size() + " CamelClusterServices; camel-master needs exactly one");
            }
            if (services.size() == 1) {
                CamelClusterService existing = services.iterator().next();
                String madeFrom = context.getRegistry().lookupByNameAndType(MADE_FROM, String.class);
                if (madeFrom == null) {
                    LOG.info("{}: leader election through the runtime's cluster service {} ({})", jobId, existing.getId(),
                            existing.getClass().getSimpleName());
                } else if (uri.kind() != ClusterUri.Kind.CONTEXT && !madeFrom.equals(uri.toString())) {
                    throw new IllegalArgumentException("job " + jobId + ": parameter 'cluster': " + uri + " differs from "
                            + madeFrom + " of another job; all jobs of a runtime share one cluster service");
                }
                return existing;
            }
            if (uri.kind() == ClusterUri.Kind.CONTEXT) {
                throw new IllegalArgumentException("job " + jobId + ": parameter 'cluster': 'context', but the runtime "
                        + "has no CamelClusterService (bind one in the registry, or give file:DIR or zookeeper:HOST:PORT)");
            }
            CamelClusterService made = make(uri);
            context.getRegistry().bind(MADE_FROM, String.class, uri.toString());
            context.addService(made, true, true);
            LOG.info("leader election through {} (node {})", uri, made.getId());
            return made;
        }
    }

    private static CamelClusterService make(ClusterUri uri) {
        if (uri.kind() == ClusterUri.Kind.FILE) {
            FileLockClusterService service = new FileLockClusterService();
            service.setId(nodeId());
            service.setRoot(uri.root().toString());
            service.setAcquireLockInterval(uri.lockInterval().toMillis(), TimeUnit.MILLISECONDS);
            return service;
        }
        // in its own class: in Karaf, camel-zookeeper is an optional import (feature autosync-zookeeper)
        return ZooKeeperServices.make(uri, nodeId());
    }

    /** {@code autosync-PID@HOST}: one per process. */
    static String nodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return "autosync-" + ProcessHandle.current().pid() + "@" + host;
    }
}
