package app.caravel.infra;

import app.caravel.db.Database;
import app.caravel.jobs.JobQueue;
import app.caravel.jobs.PendingJobs;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * Brings relays back in step soon after zooid returns from an outage (SPEC §5.1). A failed sync is retried
 * with JobRunr's growing backoff (729 s by the 6th try), which protects zooid while it is down but would leave
 * relays waiting long after it is back. Every 30 s, when some relay carries a transient sync error, one cheap
 * probe asks zooid whether it answers; when it does, every such relay gets a sync now. A retry still scheduled
 * for it later finds zooid already holding its config and pushes nothing.
 */
public class ZooidRecovery implements JobRequestHandler<HealRelaysJob> {
    private static final Logger LOG = LoggerFactory.getLogger(ZooidRecovery.class);
    private final Database db;
    private final JobQueue jobs;
    private final ZooidClient zooid;

    public ZooidRecovery(Database db, JobQueue jobs, ZooidClient zooid) {
        this.db = db;
        this.jobs = jobs;
        this.zooid = zooid;
    }

    @Override
    @Job(name = "Heal relays after a zooid outage")
    public void run(HealRelaysJob job) throws InterruptedException {
        heal();
    }

    /** Returns how many syncs were enqueued. */
    public int heal() throws InterruptedException {
        List<String> failing = db.relays().failingTransiently();
        if (failing.isEmpty() || !zooidAnswers()) {
            return 0;
        }
        Set<String> running = PendingJobs.ids(db.jdbi(), RelaySyncHandler.class, "relayId", PendingJobs.WAITING_OR_RUNNING);
        int enqueued = 0;
        for (String id : failing) {
            if (!running.contains(id)) {
                jobs.enqueue(new SyncRelayJob(id));
                enqueued++;
            }
        }
        if (enqueued > 0) {
            LOG.info("zooid answers again: {} relays with a sync error re-synced now", enqueued);
        }
        return enqueued;
    }

    /** The health check's probe (ZooidClient.probe). */
    private boolean zooidAnswers() throws InterruptedException {
        try {
            return zooid.probe().reachable();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
