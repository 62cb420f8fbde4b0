package app.caravel.billing;

import app.caravel.db.Database;
import app.caravel.jobs.JobQueue;
import app.caravel.jobs.PendingJobs;
import app.caravel.nostr.NwcException;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The billing jobs (SPEC §5 "one job per unit of outside work"). The hourly tick and collection runs only find
 * what is due and enqueue one job per tenant to invoice and one per invoice to collect; each of those makes its
 * own wallet calls and is retried alone with JobRunr's backoff.
 */
public class BillingJobs implements JobRequestHandler<JobRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(BillingJobs.class);

    private final Database db;
    private final JobQueue queue;
    private final Invoicer invoicer;
    private final Collector collector;
    private final Clock clock;

    public BillingJobs(Database db, JobQueue queue, Invoicer invoicer, Collector collector, Clock clock) {
        this.db = db;
        this.queue = queue;
        this.invoicer = invoicer;
        this.collector = collector;
        this.clock = clock;
    }

    @Override
    @Job(name = "Billing: %0")
    public void run(JobRequest job) throws NwcException {
        if (job instanceof InvoiceTenantJob invoice) {
            invoicer.invoice(invoice.tenant(), at(invoice.at()));
        } else if (job instanceof CollectInvoiceJob collect) {
            collector.collect(collect.invoiceId(), at(collect.at()));
        } else if (job instanceof BillingTickJob tick) {
            enqueueInvoices(at(tick.at()));
        } else if (job instanceof CollectJob collect) {
            long now = at(collect.at());
            enqueueCollections(now);
            collector.applyGracePeriod(now);
        }
    }

    private long at(Long at) {
        return at != null ? at : clock.instant().getEpochSecond();
    }

    /** One invoice job per due tenant that has none waiting or retrying; returns the jobs enqueued. */
    public List<UUID> enqueueInvoices(long at) {
        Set<String> waiting = PendingJobs.ids(db.jdbi(), BillingJobs.class, "tenant");
        List<UUID> enqueued = new ArrayList<>();
        for (String tenant : invoicer.dueTenants(at)) {
            if (!waiting.contains(tenant)) {
                enqueued.add(queue.enqueue(new InvoiceTenantJob(tenant, at)));
            }
        }
        LOG.info("billing tick: {} invoice jobs enqueued", enqueued.size());
        return enqueued;
    }

    /** One collect job per open invoice (pending, or closed and still payable) that has none waiting. */
    public List<UUID> enqueueCollections(long at) {
        Set<String> waiting = PendingJobs.ids(db.jdbi(), BillingJobs.class, "invoiceId");
        List<UUID> enqueued = new ArrayList<>();
        for (String invoice : collector.openInvoiceIds(at)) {
            if (!waiting.contains(invoice)) {
                enqueued.add(queue.enqueue(new CollectInvoiceJob(invoice, at)));
            }
        }
        LOG.info("collection: {} collect jobs enqueued", enqueued.size());
        return enqueued;
    }
}
