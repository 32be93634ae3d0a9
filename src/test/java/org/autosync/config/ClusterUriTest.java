package org.autosync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class ClusterUriTest {

    @Test
    void aFileUriNamesTheSharedDirectoryWithTheDefaultTimeouts() {
        ClusterUri uri = ClusterUri.parse("file:/mnt/share/locks", null);

        assertThat(uri.kind()).isEqualTo(ClusterUri.Kind.FILE);
        assertThat(uri.root()).isEqualTo(Path.of("/mnt/share/locks"));
        assertThat(uri.lockInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(uri.leaderTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aRelativeDirectoryResolvesAgainstTheWorkingDirectoryAndOptionsTuneTheLock() {
        ClusterUri uri = ClusterUri.parse("file:locks?acquireLockInterval=300ms", "/srv/autosync");

        assertThat(uri.root()).isEqualTo(Path.of("/srv/autosync/locks"));
        assertThat(uri.leaderTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aZooKeeperUriNamesItsServersAndPath() {
        ClusterUri uri = ClusterUri.parse("zookeeper:zk1:2181,zk2.example.org:2181/ha/mirror?sessionTimeout=15s", null);

        assertThat(uri.kind()).isEqualTo(ClusterUri.Kind.ZOOKEEPER);
        assertThat(uri.nodes()).isEqualTo("zk1:2181,zk2.example.org:2181");
        assertThat(uri.path()).isEqualTo("/ha/mirror");
        assertThat(uri.sessionTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(ClusterUri.parse("zookeeper:127.0.0.1:2181", null).path()).isEqualTo("/autosync");
    }

    @Test
    void contextMeansTheRuntimesOwnClusterService() {
        assertThat(ClusterUri.parse("context", null).kind()).isEqualTo(ClusterUri.Kind.CONTEXT);
    }

    @Test
    void badUrisAreRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> ClusterUri.parse("etcd:host:2379", null)).hasMessageContaining("is not a cluster URI")
                .hasMessageContaining("file:DIR");
        assertThatThrownBy(() -> ClusterUri.parse("file:", null)).hasMessageContaining("names no directory");
        assertThatThrownBy(() -> ClusterUri.parse("zookeeper:zk1", null)).hasMessageContaining("'zk1' is not HOST:PORT");
        assertThatThrownBy(() -> ClusterUri.parse("zookeeper:zk1:2181/", null)).hasMessageContaining("is not a ZooKeeper path");
        assertThatThrownBy(() -> ClusterUri.parse("zookeeper:zk1:2181?session=5s", null))
                .hasMessageContaining("unknown option 'session' (known: sessionTimeout, connectionTimeout)");
        assertThatThrownBy(() -> ClusterUri.parse("file:/x?acquireLockInterval=soon", null))
                .hasMessageContaining("acquireLockInterval").hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> ClusterUri.parse("file:/x?heartbeatTimeoutMultiplier=3", null))
                .hasMessageContaining("unknown option 'heartbeatTimeoutMultiplier' (known: acquireLockInterval)");
    }
}
