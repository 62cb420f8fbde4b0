package app.caravel.billing;

import org.jobrunr.jobs.lambdas.JobRequest;

/** The hourly collection run: one {@link CollectInvoiceJob} per open invoice, then the grace period. */
public record CollectJob(Long at) implements JobRequest {
    @Override
    public Class<BillingJobs> getJobRequestHandler() {
        return BillingJobs.class;
    }
}
