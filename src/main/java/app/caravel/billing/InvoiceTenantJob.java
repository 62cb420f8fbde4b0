package app.caravel.billing;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Invoice one tenant (its pubkey), as of {@code at} (unix seconds) or, when null, when it runs. */
public record InvoiceTenantJob(String tenant, Long at) implements JobRequest {
    @Override
    public Class<BillingJobs> getJobRequestHandler() {
        return BillingJobs.class;
    }
}
