package org.autosync.examples;

import java.nio.file.Files;
import java.nio.file.Path;

import org.autosync.targets.Actor;
import org.autosync.targets.contract.ActorContract;

/** The example integrator actor passes the same contract as the built-in ones. */
class LocalDirectoryActorContractTest extends ActorContract {

    private Path roots;

    @Override
    protected String serverName() {
        return "local directory (example)";
    }

    @Override
    protected void assumeServer() {
    }

    @Override
    protected Actor newActor(String container, int pageSize) throws Exception {
        roots = Files.createDirectories(work.resolve("targets"));
        LocalDirectoryActor actor = new LocalDirectoryActor();
        actor.setRoot(roots.resolve(container).toString());
        actor.validate();
        return actor;
    }

    @Override
    protected byte[] read(String container, String key) throws Exception {
        return Files.readAllBytes(roots.resolve(container).resolve(key));
    }
}
