package org.autosync.targets.contract;


import org.autosync.targets.Actor;
import org.autosync.targets.swift.SwiftActor;
import org.autosync.targets.swift.SwiftCluster;
import org.autosync.targets.swift.SwiftTestClient;
import org.junit.jupiter.api.extension.ExtendWith;

/** SwiftActor on the real Swift, tempauth (v1). */
@ExtendWith(SwiftCluster.class)
class SwiftContractTest extends ActorContract {

    @Override
    protected String serverName() {
        return "swift (tempauth)";
    }

    @Override
    protected void assumeServer() {
        SwiftCluster.endpoints();
    }

    @Override
    protected Actor newActor(String container, int pageSize) {
        return new SwiftActor(SwiftTestClient.settings(container).withListLimit(pageSize));
    }

    @Override
    protected byte[] read(String container, String key) throws Exception {
        return SwiftTestClient.get(container, key);
    }
}
