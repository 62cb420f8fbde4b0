package app.caravel.infra;

import app.caravel.db.Database;
import app.caravel.jobs.JobQueue;
import app.caravel.jobs.PendingJobs;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Heals long zooid outages: every relay that was never synced, changed since, failed its last sync or has
 * not been confirmed for {@code maxAge} gets a new {@link SyncRelayJob}, unless one is already waiting or
 * running for it (so a sweep never piles jobs on top of JobRunr's own retries).
 */
public class RelayReconciler implements JobRequestHandler<ReconcileRelaysJob> {
    private static final Logger LOG = LoggerFactory.getLogger(RelayReconciler.class);
    private final Database db;
    private final JobQueue jobs;
    private final Clock clock;
    private final Duration maxAge;

    public RelayReconciler(Database db, JobQueue jobs, Clock clock, Duration maxAge) {
        this.db = db;
        this.jobs = jobs;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    @Override
    @Job(name = "Reconcile relays with zooid")
    public void run(ReconcileRelaysJob job) {
        reconcile();
    }

    /** Returns how many syncs were enqueued. */
    public int reconcile() {
        long staleBefore = clock.instant().minus(maxAge).getEpochSecond();
        return enqueue(db.relays().dueForSync(staleBefore));
    }

    /** The operator's "resync everything": every relay, whatever its state. */
    public int resyncAll() {
        return enqueue(db.relays().allIds());
    }

    /** Each relay enqueued is pushed even when its row hasn't changed: zooid may have lost what it held. */
    private int enqueue(List<String> relayIds) {
        Set<String> pending = pendingSyncs();
        int enqueued = 0;
        for (String id : relayIds) {
            if (!pending.contains(id)) {
                db.relays().forgetSyncedConfig(List.of(id));
                jobs.enqueue(new SyncRelayJob(id));
                enqueued++;
            }
        }
        if (enqueued > 0) {
            LOG.info("enqueued {} relay syncs", enqueued);
        }
        return enqueued;
    }

    /** A sync for this relay is enqueued, running or scheduled for a retry in JobRunr's table. */
    boolean hasPendingSync(String relayId) {
        return pendingSyncs().contains(relayId);
    }

    private Set<String> pendingSyncs() {
        return PendingJobs.ids(db.jdbi(), RelaySyncHandler.class, "relayId");
    }
}
