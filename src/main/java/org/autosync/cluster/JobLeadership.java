package org.autosync.cluster;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.service.ServiceSupport;
import org.autosync.config.ClusterUri;
import org.autosync.job.MirrorJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a clustered job whether this node leads it, from the job's view ({@code autosync-<jobId>}) of the cluster
 * service, the same view its {@code master:} route follows. The master route only starts and stops its own consumer
 * (the reconciliation timer); this service makes the rest of the job follow: on leadership lost the job sends nothing
 * more and its watcher and re-scan stop, on leadership taken its first act is a full pass.
 * <p>
 * Events come first, and a check every {@value #CHECK_MILLIS} ms catches what no event says: camel-zookeeper fires
 * none when its session is lost while leading, and a process paused for a third of the cluster's timeout or more (a
 * long GC, SIGSTOP, a suspended VM) may have lost a leadership it has not heard of yet. After such a pause the job
 * stands by for the cluster's timeout before it trusts its view again; until the check has run after such a pause,
 * the job's leadership lease ({@link MirrorJob#leaseUntil}, renewed by every check) has run out, so no thread that
 * wakes up first can send. A ZooKeeper candidate that dropped out of the election
 * (after its session was lost) is put back in the queue.
 */
public final class JobLeadership extends ServiceSupport implements CamelClusterEventListener.Leadership {

    static final long CHECK_MILLIS = 200;
    static final long REQUEUE_MILLIS = 5000;

    private static final Logger LOG = LoggerFactory.getLogger(JobLeadership.class);

    private final CamelContext context;
    private final CamelClusterService service;
    private final MirrorJob job;
    private final Duration quarantine;
    private final long pauseMillis;
    private final Runnable stopRescan;
    private CamelClusterView view;
    private ScheduledExecutorService checks;
    private ExecutorService routeControl;
    private long lastCheck;
    private long trustAfter;
    private long lastRequeue;
    private volatile boolean failing;

    /**
     * @param stopRescan stops the job's re-scan route (the job's pass starts it again once it leads)
     */
    public JobLeadership(CamelContext context, CamelClusterService service, MirrorJob job, ClusterUri uri,
                         Runnable stopRescan) {
        this.context = context;
        this.service = service;
        this.job = job;
        this.quarantine = uri.leaderTimeout();
        this.pauseMillis = Math.max(1000, quarantine.toMillis() / 3);
        this.stopRescan = stopRescan;
    }

    /** The job whose leadership this follows. */
    public MirrorJob job() {
        return job;
    }

    @Override
    protected void doStart() throws Exception {
        view = service.getView(ClusterUri.namespace(job.id()));
        view.addEventListener(this);
        routeControl = context.getExecutorServiceManager().newSingleThreadExecutor(this, job.spec().beanName() + "-leadership");
        checks = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, job.spec().beanName() + "-leader-check");
        lastCheck = System.currentTimeMillis();
        job.leaseUntil(lastCheck + pauseMillis);
        checks.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        context.getExecutorServiceManager().shutdownNow(checks);
        context.getExecutorServiceManager().shutdownNow(routeControl);
        if (view != null) {
            view.removeEventListener(this);
            service.releaseView(view);
            view = null;
        }
    }

    @Override
    public void leadershipChanged(CamelClusterView changed, CamelClusterMember leader) {
        try {
            follow(System.currentTimeMillis());
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Never throws: an exception would end the periodic check. */
    private void check() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** E.g. the sync state unreadable while taking the leadership: the job stays a standby, the next check tries again. */
    private void failed(RuntimeException e) {
        if (!failing) {
            failing = true;
            LOG.warn("{}: cannot follow the job's leadership: {}; trying again", job.id(), e.toString());
        }
    }

    private void checkNow() {
        long now = System.currentTimeMillis();
        long gap;
        synchronized (this) {
            gap = now - lastCheck;
            lastCheck = now;
        }
        if (gap > pauseMillis + CHECK_MILLIS) {
            synchronized (this) {
                trustAfter = now + quarantine.toMillis();
            }
            lost("this process was paused for " + gap + " ms; standing by for " + quarantine.toMillis()
                    + " ms before trusting the cluster's view again");
            return;
        }
        job.leaseUntil(now + pauseMillis);
        follow(now);
        requeueIfOut(now);
        failing = false;
    }

    private void follow(long now) {
        CamelClusterView v = view;
        if (v == null || !isRunAllowed()) {
            return;
        }
        boolean leader = v.getLocalMember().isLeader();
        if (!leader) {
            lost("leadership moved or the cluster service lost its session or lock");
        } else if (now >= trustAfter()) {
            job.leadershipTaken();
        }
    }

    private synchronized long trustAfter() {
        return trustAfter;
    }

    private void lost(String why) {
        if (job.leadershipLost(why)) {
            routeControl.execute(stopRescan);
        }
    }

    /**
     * camel-zookeeper's candidate leaves the election for good when its session is lost (Curator's leader selector
     * is not auto-requeued): when this node is not among the view's members, restarting the view queues it again.
     */
    private void requeueIfOut(long now) {
        if (!ZooKeeperServices.isZooKeeper(service) || job.leading() || now - lastRequeue < REQUEUE_MILLIS) {
            return;
        }
        lastRequeue = now;
        try {
            if (view.getMembers().stream().anyMatch(CamelClusterMember::isLocal)) {
                return;
            }
            LOG.info("{}: joining the leader election again", job.id());
            view.stop();
            view.start();
        } catch (Exception e) {
            LOG.debug("{}: could not join the election again yet: {}", job.id(), e.getMessage());
        }
    }
}
