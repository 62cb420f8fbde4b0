package app.caravel.billing;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Collect one invoice (its id), as of {@code at} (unix seconds) or, when null, when it runs. */
public record CollectInvoiceJob(String invoiceId, Long at) implements JobRequest {
    @Override
    public Class<BillingJobs> getJobRequestHandler() {
        return BillingJobs.class;
    }
}
