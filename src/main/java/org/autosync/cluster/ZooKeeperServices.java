package org.autosync.cluster;

import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.autosync.config.ClusterUri;

/** camel-zookeeper's cluster service, touched only here (in Karaf it is an optional import). */
final class ZooKeeperServices {

    private static final String SERVICE_CLASS = "org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService";

    private ZooKeeperServices() {
    }

    static CamelClusterService make(ClusterUri uri, String nodeId) {
        ZooKeeperClusterService service = new ZooKeeperClusterService();
        // the participant id: unique per node, or each node would take the other's leadership for its own
        service.setId(nodeId);
        service.setNodes(uri.nodes());
        service.setBasePath(uri.path());
        service.setSessionTimeout(uri.sessionTimeout().toMillis());
        // through the configuration: the service's own setter was renamed after Camel 4.14 (setConnectTimeout)
        service.getConfiguration().setConnectionTimeout(uri.connectionTimeout().toMillis());
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
