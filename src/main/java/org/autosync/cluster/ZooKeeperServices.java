package org.autosync.cluster;

import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.zookeeper.ZooKeeperCuratorConfiguration;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.autosync.config.ClusterUri;

/** camel-zookeeper's cluster service, touched only here (in Karaf it is an optional import). */
final class ZooKeeperServices {

    private static final String SERVICE_CLASS = "org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService";

    private ZooKeeperServices() {
    }

    static CamelClusterService make(ClusterUri uri, String nodeId) {
        // every setting on the Curator configuration given to the constructor: the service's own setters differ
        // between Camel 4.14 and 4.18 (connectionTimeout was renamed), the configuration's do not
        ZooKeeperCuratorConfiguration configuration = new ZooKeeperCuratorConfiguration();
        configuration.setNodes(uri.nodes());
        configuration.setBasePath(uri.path());
        configuration.setSessionTimeout(uri.sessionTimeout().toMillis());
        configuration.setConnectionTimeout(uri.connectionTimeout().toMillis());
        ZooKeeperClusterService service = new ZooKeeperClusterService(configuration);
        // the participant id: unique per node, or each node would take the other's leadership for its own
        service.setId(nodeId);
        return service;
    }

    /** By name, so that a runtime without camel-zookeeper never loads its classes. */
    static boolean isZooKeeper(CamelClusterService service) {
        for (Class<?> c = service.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(SERVICE_CLASS)) {
                return true;
            }
        }
        return false;
    }
}
