package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.autosync.soak.Journal;
import org.autosync.soak.RequestLog;
import org.autosync.testing.TcpProxy;
import org.autosync.testing.ZooKeeperServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * High availability, end to end: two real Autosync processes mirror one source into one bucket with
 * {@code --cluster}; what each sends is counted at the server ({@link TwoNodes}). Only the leader sends; when it is
 * killed, the standby takes over and converges a new change; no object is uploaded twice; and a leader cut off
 * from ZooKeeper while alive stops sending before the new leader starts. Takeover times are printed.
 */
@ExtendWith(ZooKeeperServer.class)
class ClusterJarIT {

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    /** The bound for a standby to converge a change after the leader died. */
    private static final Duration TAKEOVER = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @Test
    void onlyTheLeaderSendsAndTheStandbyTakesOverWhenTheLeaderIsKilledWithAFileLock() throws Exception {
        try (TwoNodes nodes = new TwoNodes(work)) {
            String cluster = "file:" + work.resolve("lock");
            seed(nodes);
            nodes.start(0, cluster);
            nodes.start(1, cluster);
            Takeover t = killLeaderAndConverge(nodes, i -> cluster);
            System.out.printf("[ClusterJarIT] file lock: leader killed -> first request of the new leader %d ms, "
                    + "-> new change converged %d ms%n", t.firstRequestMillis(), t.convergedMillis());
        }
    }

    @Test
    void zooKeeperLeaderKilledOrCutOffStopsBeforeTheStandbyTakesOver() throws Exception {
        String zk = ZooKeeperServer.connectString();
        String host = zk.substring(0, zk.lastIndexOf(':'));
        int port = Integer.parseInt(zk.substring(zk.lastIndexOf(':') + 1));
        try (TwoNodes nodes = new TwoNodes(work); TcpProxy p0 = new TcpProxy(host, port); TcpProxy p1 = new TcpProxy(host, port);
             CuratorFramework observer = CuratorFrameworkFactory.newClient(zk, new RetryOneTime(200))) {
            observer.start();
            TcpProxy[] proxies = {p0, p1};
            java.util.function.IntFunction<String> cluster = i -> "zookeeper:127.0.0.1:" + proxies[i].port() + "/autosync";
            seed(nodes);
            nodes.start(0, cluster.apply(0));
            nodes.start(1, cluster.apply(1));
            Takeover killed = killLeaderAndConverge(nodes, cluster);
            System.out.printf("[ClusterJarIT] ZooKeeper: leader killed -> first request of the new leader %d ms, "
                    + "-> new change converged %d ms%n", killed.firstRequestMillis(), killed.convergedMillis());

            // the killed node comes back as a standby; then the leader's session expires while it is alive and busy
            int leader = killed.newLeader();
            int back = 1 - leader;
            int before = nodes.requests(back).size();
            nodes.start(back, cluster.apply(back));
            await().atMost(CONVERGE).until(() -> candidates(observer) == 2);
            // the leader is kept busy until it says it lost the leadership; the writer then stops, so that no file is
            // being created while the new leader's first pass starts its watcher (a file created in that second may be
            // uploaded by both the pass and the watcher, which is not what this test is about)
            AtomicBoolean writing = new AtomicBoolean(true);
            int cutOff = leader;
            Thread writer = new Thread(() -> {
                try {
                    for (int n = 0; writing.get() && !nodes.stderr(cutOff).contains("not the leader any more"); n++) {
                        String key = "pulse/" + n + ".txt";
                        nodes.write(key, "pulse " + n);
                        // the next file once this one is stored, or once the leader says it stopped leading
                        await().atMost(CONVERGE).until(() -> !writing.get() || nodes.bucket().containsKey(key)
                                || nodes.stderr(cutOff).contains("not the leader any more"));
                    }
                } catch (Exception e) {
                    // the test fails on what is missing
                }
            }, "pulse-writer");
            writer.start();
            await().atMost(CONVERGE).until(() -> nodes.bucket().keySet().stream().anyMatch(k -> k.startsWith("pulse/")));
            long cutAt = Journal.nowMicros();
            proxies[leader].cut();
            try {
                await().atMost(Duration.ofSeconds(45)).until(() -> nodes.requests(back).size() > before);
            } finally {
                writing.set(false);
                writer.join();
            }
            converge(nodes, CONVERGE);

            List<RequestLog.Request> oldLeader = nodes.requests(leader);
            RequestLog.Request lastOfOld = oldLeader.get(oldLeader.size() - 1);
            long lastEndOfOld = oldLeader.stream().mapToLong(RequestLog.Request::endMicros).max().orElseThrow();
            RequestLog.Request firstOfNew = nodes.requests(back).get(before);
            System.out.printf("[ClusterJarIT] ZooKeeper session expired while alive: cut -> old leader's last request "
                            + "%d ms (ended %d ms), cut -> new leader's first request %d ms (margin %d ms)%n",
                    (lastOfOld.startMicros() - cutAt) / 1000, (lastEndOfOld - cutAt) / 1000,
                    (firstOfNew.startMicros() - cutAt) / 1000, (firstOfNew.startMicros() - lastEndOfOld) / 1000);
            assertThat(lastEndOfOld).as("the cut-off leader's last request ended before the new leader's first began%n%s",
                    nodes.outputs()).isLessThan(firstOfNew.startMicros());
            assertThat(nodes.stderr(leader)).contains("not the leader any more");
            assertThat(nodes.putsPerKey()).as("uploads per key; repeated:%n%s%n%s", nodes.repeatedPuts(), nodes.outputs()).allSatisfy((key, puts) -> assertThat(puts).as(key).isEqualTo(1L));
        }
    }

    /** Waits until the bucket equals the source; on timeout, fails with what both nodes said. */
    private static void converge(TwoNodes nodes, Duration within) throws Exception {
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> nodes.bucket().equals(nodes.expected()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not converged within " + within + ": bucket " + nodes.bucket().keySet() + ", source "
                    + nodes.expected().keySet() + "\n" + nodes.outputs(), e);
        }
    }

    @Test
    void aZooKeeperLeaderPausedPastItsSessionSendsNothingOnceItResumes() throws Exception {
        String zk = ZooKeeperServer.connectString();
        try (TwoNodes nodes = new TwoNodes(work)) {
            String cluster = "zookeeper:" + zk + "/autosync";
            seed(nodes);
            nodes.start(0, cluster);
            nodes.start(1, cluster);
            converge(nodes, CONVERGE);
            await().atMost(CONVERGE).until(() -> nodes.stderr(0).contains("job1:") && nodes.stderr(1).contains("job1:"));
            int leader = nodes.onlySender();
            int standby = 1 - leader;
            long pid = nodes.process(leader).process().pid();

            // files appear while the leader is frozen (its watcher's events wait in the kernel), then none: the new
            // leader's first pass, seconds later, finds them
            signal("-STOP", pid);
            long stoppedAt = Journal.nowMicros();
            for (int n = 0; n < 5; n++) {
                nodes.write("paused/" + n + ".txt", "written while the leader was frozen " + n);
            }
            await().atMost(Duration.ofSeconds(45)).until(() -> !nodes.requests(standby).isEmpty());
            long resumedAt = Journal.nowMicros();
            signal("-CONT", pid);
            await().atMost(CONVERGE).until(() -> nodes.stderr(leader).contains("was paused for"));
            converge(nodes, CONVERGE);

            RequestLog.Request firstOfNew = nodes.requests(standby).get(0);
            List<RequestLog.Request> afterTakeover = nodes.requests(leader).stream()
                    .filter(r -> r.startMicros() >= firstOfNew.startMicros()).toList();
            System.out.printf("[ClusterJarIT] ZooKeeper leader frozen %d ms: new leader's first request %d ms after the "
                    + "freeze; requests of the old leader after it resumed: %d%n", (resumedAt - stoppedAt) / 1000,
                    (firstOfNew.startMicros() - stoppedAt) / 1000, afterTakeover.size());
            assertThat(afterTakeover).as("requests of the resumed old leader%n%s", nodes.outputs()).isEmpty();
            assertThat(nodes.putsPerKey()).as("uploads per key; repeated:%n%s", nodes.repeatedPuts())
                    .allSatisfy((key, puts) -> assertThat(puts).as(key).isEqualTo(1L));
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill " + signal + " " + pid).isZero();
    }

    @Test
    void aBadClusterUriOrOnceWithClusterIsOneLineAndExitCode2() throws Exception {
        java.nio.file.Files.createDirectories(work.resolve("src"));
        JarProcess.Result bad = new JarProcess().in(work).run("--cluster=zookeeper:zk1", "--endpoint=http://127.0.0.1:9",
                "--target_container=ha-mirror", "src");
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.stderr()).contains("autosync: job job1: parameter 'cluster': 'zookeeper:zk1': 'zk1' is not HOST:PORT")
                .doesNotContain("\tat ");

        JarProcess.Result once = new JarProcess().in(work).run("--once", "--cluster=file:locks",
                "--endpoint=http://127.0.0.1:9", "--target_container=ha-mirror", "src");
        assertThat(once.exitCode()).as(once.toString()).isEqualTo(2);
        assertThat(once.stderr()).contains("autosync: --cluster is for continuous mirroring").doesNotContain("\tat ");
    }

    private static int candidates(CuratorFramework zk) {
        try {
            return zk.getChildren().forPath("/autosync/autosync-job1").size();
        } catch (Exception e) {
            return 0;
        }
    }

    private static void seed(TwoNodes nodes) throws Exception {
        for (int i = 0; i < 5; i++) {
            nodes.write("dir/f" + i + ".txt", "content " + i);
        }
    }

    record Takeover(int newLeader, long firstRequestMillis, long convergedMillis) {
    }

    /**
     * Both nodes run: the first converges the tree while the other sends nothing; the leader is SIGKILLed, a change is
     * made, and the standby converges it within {@link #TAKEOVER}; every key was uploaded once.
     */
    private static Takeover killLeaderAndConverge(TwoNodes nodes, java.util.function.IntFunction<String> cluster) throws Exception {
        converge(nodes, CONVERGE);
        await().atMost(CONVERGE).until(() -> nodes.stderr(0).contains("job1:") && nodes.stderr(1).contains("job1:"));
        int leader = nodes.onlySender();
        int standby = 1 - leader;
        assertThat(nodes.stderr(standby)).contains("standby until this node leads autosync-job1");

        nodes.write("dir/while-both-run.txt", "a change the leader mirrors");
        converge(nodes, CONVERGE);
        assertThat(nodes.requests(standby)).as("requests of the standby%n%s", nodes.outputs()).isEmpty();
        assertThat(nodes.requests(leader)).isNotEmpty();

        long killAt = nodes.kill(leader);
        nodes.write("dir/after-the-kill.txt", "a change the new leader mirrors");
        converge(nodes, TAKEOVER);
        long convergedAt = Journal.nowMicros();
        List<RequestLog.Request> mine = new ArrayList<>(nodes.requests(standby));
        assertThat(mine).isNotEmpty();
        Map<String, Long> puts = nodes.putsPerKey();
        assertThat(puts).as("uploads per key; repeated:%n%s%n%s", nodes.repeatedPuts(), nodes.outputs()).hasSize(nodes.expected().size())
                .allSatisfy((key, n) -> assertThat(n).as(key).isEqualTo(1L));
        assertThat(nodes.stderr(standby)).contains("this node leads the job now");
        return new Takeover(standby, (mine.get(0).startMicros() - killAt) / 1000, (convergedAt - killAt) / 1000);
    }
}
