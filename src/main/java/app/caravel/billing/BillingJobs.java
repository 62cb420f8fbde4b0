package app.caravel.billing;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

import java.time.Clock;

/** Runs {@link BillingTickJob} and {@link CollectJob}; a tick whose wallet calls failed is retried. */
public class BillingJobs implements JobRequestHandler<JobRequest> {
    private final Invoicer invoicer;
    private final Collector collector;
    private final Clock clock;

    public BillingJobs(Invoicer invoicer, Collector collector, Clock clock) {
        this.invoicer = invoicer;
        this.collector = collector;
        this.clock = clock;
    }

    @Override
    @Job(name = "Billing: %0")
    public void run(JobRequest job) {
        long now = clock.instant().getEpochSecond();
        if (job instanceof BillingTickJob) {
            Invoicer.TickResult result = invoicer.tick(now);
            if (result.failures() > 0) {
                throw new IllegalStateException(result.failures() + " tenants not invoiced: platform wallet errors");
            }
        } else if (job instanceof CollectJob) {
            collector.collect(now);
        }
    }

    /** Both, now or as of {@code at}: the admin task's and the tests' entry point. */
    public String runNow(long at) {
        Invoicer.TickResult tick = invoicer.tick(at);
        Collector.CollectResult collect = collector.collect(at);
        return "{\"at\":" + at + ",\"invoices\":" + tick.invoices() + ",\"wallet_failures\":" + tick.failures()
                + ",\"paid\":" + collect.paid() + ",\"attempted\":" + collect.attempted() + ",\"delinquent\":"
                + collect.delinquent() + "}";
    }
}
