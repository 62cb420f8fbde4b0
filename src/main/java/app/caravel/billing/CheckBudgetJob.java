package app.caravel.billing;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Ask one tenant's wallet (by the tenant's pubkey) whether it will cover the coming invoice; at: unix seconds or null (now). */
public record CheckBudgetJob(String tenant, Long at) implements JobRequest {
    @Override
    public Class<BudgetWatch> getJobRequestHandler() {
        return BudgetWatch.class;
    }
}
