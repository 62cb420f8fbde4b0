package app.caravel.billing;

import org.jobrunr.jobs.lambdas.JobRequest;

/** The hourly collection run: wallet payments, BOLT11 DMs, the grace period. */
public record CollectJob() implements JobRequest {
    @Override
    public Class<BillingJobs> getJobRequestHandler() {
        return BillingJobs.class;
    }
}
