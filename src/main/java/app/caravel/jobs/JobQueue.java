package app.caravel.jobs;

import org.jdbi.v3.core.Handle;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.scheduling.JobRequestScheduler;

import java.util.UUID;

/** Enqueues jobs inside the caller's database transaction, so the job exists exactly when the write does. */
public final class JobQueue {
    private final SharedTransactionDataSource dataSource;
    private final JobRequestScheduler scheduler;

    public JobQueue(SharedTransactionDataSource dataSource, JobRequestScheduler scheduler) {
        this.dataSource = dataSource;
        this.scheduler = scheduler;
    }

    /** {@code handle} must be inside a transaction; the job commits or rolls back with it. */
    public UUID enqueue(Handle handle, JobRequest request) {
        if (!handle.isInTransaction()) {
            throw new IllegalStateException("enqueue(handle, …) needs an open transaction");
        }
        return dataSource.joining(handle.getConnection(), () -> scheduler.enqueue(request).asUUID());
    }

    /** Outside any transaction: for operator commands and jobs that fan out. */
    public UUID enqueue(JobRequest request) {
        return scheduler.enqueue(request).asUUID();
    }
}
