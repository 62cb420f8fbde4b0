package app.caravel.billing;

import app.caravel.db.Activity;
import app.caravel.db.Database;
import app.caravel.db.Tenant;
import app.caravel.db.TenantDao;
import app.caravel.jobs.JobQueue;
import app.caravel.jobs.PendingJobs;
import app.caravel.nostr.NwcException;
import app.caravel.nostr.NwcUri;
import app.caravel.robot.Messages;
import app.caravel.robot.Notifier;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Warns before money fails (SPEC §5.2): a few days before a tenant's period ends, ask its wallet what it will let
 * us take (NIP-47 get_budget, else get_balance; neither → say nothing) and DM the tenant, once per period, when
 * the invoice the period will make is larger. The expected amount is the period's usage so far with every relay
 * staying as it is until the end. A wallet that fails the call changes nothing: the job is retried.
 */
public class BudgetWatch implements JobRequestHandler<JobRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetWatch.class);
    /** How long before a period's end its wallet is asked. */
    public static final Duration WARN_BEFORE = Duration.ofDays(3);

    private final Database db;
    private final JobQueue queue;
    private final Wallets wallets;
    private final Notifier notifier;
    private final Clock clock;

    public BudgetWatch(Database db, JobQueue queue, Wallets wallets, Notifier notifier, Clock clock) {
        this.db = db;
        this.queue = queue;
        this.wallets = wallets;
        this.notifier = notifier;
        this.clock = clock;
    }

    @Override
    @Job(name = "Wallet budget: %0")
    public void run(JobRequest job) throws NwcException {
        if (job instanceof CheckBudgetJob check) {
            check(check.tenant(), at(check.at()));
        } else if (job instanceof CheckBudgetsJob sweep) {
            long now = at(sweep.at());
            Set<String> waiting = PendingJobs.ids(db.jdbi(), BudgetWatch.class, "tenant");
            int enqueued = 0;
            for (String tenant : dueTenants(now)) {
                if (!waiting.contains(tenant)) {
                    queue.enqueue(new CheckBudgetJob(tenant, now));
                    enqueued++;
                }
            }
            LOG.info("budget checks: {} enqueued", enqueued);
        }
    }

    private long at(Long at) {
        return at != null ? at : clock.instant().getEpochSecond();
    }

    /** Tenants with a wallet whose current period ends within {@link #WARN_BEFORE} and was not checked yet. */
    public List<String> dueTenants(long now) {
        List<String> due = new ArrayList<>();
        for (TenantDao.BudgetCandidate tenant : db.tenants().budgetCandidates()) {
            Period period = BillingCycle.current(tenant.billingAnchor(), now);
            if (inWindow(period, now) && (tenant.budgetCheckedUntil() == null || tenant.budgetCheckedUntil() < period.end())) {
                due.add(tenant.pubkey());
            }
        }
        return due;
    }

    private static boolean inWindow(Period period, long now) {
        return period.end() - now <= WARN_BEFORE.toSeconds();
    }

    /** Returns whether the tenant was warned now. */
    public boolean check(String pubkey, long now) throws NwcException {
        Tenant tenant = db.tenants().find(pubkey).orElse(null);
        if (tenant == null || tenant.nwcUrl() == null || tenant.billingAnchor() == null) {
            return false;
        }
        Period period = BillingCycle.current(tenant.billingAnchor(), now);
        Long checked = db.tenants().budgetCheckedUntil(pubkey).orElse(null);
        if (!inWindow(period, now) || (checked != null && checked >= period.end())) {
            return false;
        }
        long expected = Usage.ofRelays(db.activity().relayHistory(pubkey, period.end()), period).stream()
                .mapToLong(Charge::amount).sum();
        OptionalLong allowed = expected == 0 ? OptionalLong.empty()
                : wallets.allowance(NwcUri.parse(db.secrets().open(tenant.nwcUrl())));
        boolean warn = allowed.isPresent() && allowed.getAsLong() < expected;
        db.jdbi().useTransaction(h -> {
            if (h.attach(TenantDao.class).markBudgetChecked(pubkey, period.end()) == 1 && warn) {
                notifier.notify(h, pubkey, "budget_short", Activity.TENANT, pubkey,
                        "budget_short:" + pubkey + ":" + period.start(),
                        Messages.budgetShort(expected, allowed.getAsLong(), period.end()));
            }
        });
        if (warn) {
            LOG.info("tenant {}: wallet allows {} sats, the coming invoice is about {}: told", pubkey,
                    allowed.getAsLong(), expected);
        }
        return warn;
    }
}
