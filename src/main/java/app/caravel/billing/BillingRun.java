package app.caravel.billing;

import app.caravel.db.Database;
import org.jobrunr.scheduling.JobRequestScheduler;

import java.time.Duration;

/**
 * A whole billing tick and collection run, to completion: what the {@code billing-tick} admin task and command
 * do, so operators and tests keep one synchronous entry point over the fan-out. Each phase's job is enqueued,
 * then the run waits (bounded) until no billing job is waiting or running, whichever process's workers take
 * them. Jobs left retrying with backoff are reported, not waited for.
 */
public final class BillingRun {
    private static final String IN_FLIGHT = "SELECT count(*) FROM jobrunr_jobs WHERE state IN ('AWAITING', 'ENQUEUED', "
            + "'PROCESSING') AND jobSignature LIKE '" + BillingJobs.class.getName() + "%'";
    private static final String RETRYING = "SELECT count(*) FROM jobrunr_jobs WHERE state = 'SCHEDULED' "
            + "AND jobSignature LIKE '" + BillingJobs.class.getName() + "%'";

    private static final String MADE = "SELECT count(*) FROM invoices WHERE bolt11 IS NOT NULL";
    private static final String PAID = "SELECT count(*) FROM invoices WHERE status = 'paid'";
    private static final String DELINQUENT = "SELECT count(*) FROM relays WHERE status = 'delinquent'";

    private final Database db;
    private final JobRequestScheduler scheduler;
    private final Duration bound;

    public BillingRun(Database db, JobRequestScheduler scheduler, Duration bound) {
        this.db = db;
        this.scheduler = scheduler;
        this.bound = bound;
    }

    /** Runs both phases as of {@code at}; returns the counts as JSON. */
    public String run(long at) throws InterruptedException {
        long made = count(MADE);
        long paid = count(PAID);
        long delinquent = count(DELINQUENT);
        long started = System.nanoTime();
        scheduler.enqueue(new BillingTickJob(at));
        boolean invoiced = settle(started);
        scheduler.enqueue(new CollectJob(at));
        boolean collected = settle(started);
        return "{\"at\":" + at
                + ",\"invoices\":" + (count(MADE) - made)
                + ",\"paid\":" + (count(PAID) - paid)
                + ",\"delinquent\":" + (count(DELINQUENT) - delinquent)
                + ",\"retrying\":" + count(RETRYING)
                + ",\"finished\":" + (invoiced && collected)
                + ",\"seconds\":" + (System.nanoTime() - started) / 1_000_000_000 + "}";
    }

    /** Waits until no billing job is waiting or running; false when the bound ran out first. */
    private boolean settle(long started) throws InterruptedException {
        Thread.sleep(200); // let the workers pick up what was just enqueued
        while (count(IN_FLIGHT) > 0) {
            if (System.nanoTime() - started > bound.toNanos()) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    private long count(String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
