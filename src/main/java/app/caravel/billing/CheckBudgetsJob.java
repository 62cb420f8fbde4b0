package app.caravel.billing;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Hourly: find the tenants whose period ends within a few days and enqueue one budget check each. */
public record CheckBudgetsJob(Long at) implements JobRequest {
    @Override
    public Class<BudgetWatch> getJobRequestHandler() {
        return BudgetWatch.class;
    }
}
