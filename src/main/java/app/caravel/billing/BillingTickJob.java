package app.caravel.billing;

import org.jobrunr.jobs.lambdas.JobRequest;

/** The hourly billing tick: finds the tenants that are due and enqueues one {@link InvoiceTenantJob} each. */
public record BillingTickJob(Long at) implements JobRequest {
    @Override
    public Class<BillingJobs> getJobRequestHandler() {
        return BillingJobs.class;
    }
}
