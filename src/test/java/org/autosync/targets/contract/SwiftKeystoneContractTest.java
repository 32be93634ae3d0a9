package org.autosync.targets.contract;

import org.autosync.targets.Actor;
import org.autosync.targets.swift.SwiftActor;
import org.autosync.targets.swift.SwiftCluster;
import org.autosync.targets.swift.SwiftTestClient;
import org.junit.jupiter.api.extension.ExtendWith;

/** SwiftActor on the real Swift, Keystone v3 (a second proxy with authtoken + keystoneauth on the same servers). */
@ExtendWith(SwiftCluster.class)
class SwiftKeystoneContractTest extends ActorContract {

    @Override
    protected String serverName() {
        return "swift (keystone v3)";
    }

    @Override
    protected void assumeServer() {
        SwiftCluster.keystoneEndpoints();
    }

    @Override
    protected Actor newActor(String container, int pageSize) {
        return new SwiftActor(SwiftTestClient.keystoneSettings(container).withListLimit(pageSize));
    }

    @Override
    protected byte[] read(String container, String key) throws Exception {
        return SwiftTestClient.keystoneGet(container, key);
    }
}
