package app.caravel.billing;

import org.jobrunr.jobs.lambdas.JobRequest;

/** The hourly billing tick: invoices for closed periods. */
public record BillingTickJob() implements JobRequest {
    @Override
    public Class<BillingJobs> getJobRequestHandler() {
        return BillingJobs.class;
    }
}
