package app.caravel.billing;

import app.caravel.db.Activity;
import app.caravel.db.ActivityDao;
import app.caravel.db.Conflicts;
import app.caravel.db.Database;
import app.caravel.db.Ids;
import app.caravel.db.Invoice;
import app.caravel.db.InvoiceDao;
import app.caravel.db.InvoiceItem;
import app.caravel.db.Tenant;
import app.caravel.nostr.NwcException;
import app.caravel.nostr.NwcUri;
import app.caravel.robot.DmSender;
import app.caravel.robot.Messages;
import app.caravel.robot.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Invoices one tenant (SPEC §5.2): the first closed period since its last invoice whose usage is above zero.
 * The invoice is claimed before the platform wallet is asked: invoice, items and activity are inserted in one
 * transaction under the (tenant, period_start) unique key, so two runs, in one process or several, never make
 * two invoices. Then the run holding a lease (a conditional update that expires) asks the platform wallet for
 * the BOLT11, recorded only on an invoice still without one. A run that died in between leaves a claimed
 * invoice that the next run finishes once the lease has run out; a wallet error leaves it for the job's retry,
 * and holds back nobody else's.
 */
public final class Invoicer {
    private static final Logger LOG = LoggerFactory.getLogger(Invoicer.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    /** No rolling month is shorter: a tenant whose last period ended less than this ago has nothing due. */
    private static final Duration SHORTEST_MONTH = Duration.ofDays(28);
    /** How long a run may take to get a BOLT11 before another may try: twice the NWC call's timeout. */
    static final Duration MAKING_LEASE = Duration.ofSeconds(60);

    private final Database db;
    private final Optional<NwcUri> platform;
    private final Wallets wallets;
    private final Notifier notifier;
    private final Clock clock;

    public Invoicer(Database db, Optional<NwcUri> platform, Wallets wallets, Notifier notifier, Clock clock) {
        this.db = db;
        this.platform = platform;
        this.wallets = wallets;
        this.notifier = notifier;
        this.clock = clock;
    }

    public boolean enabled() {
        return platform.isPresent();
    }

    public record TickResult(int invoices, int failures) {
    }

    /** The tenants an invoice job should look at now (one query). */
    public List<String> dueTenants(long now) {
        return enabled() ? db.tenants().dueForInvoice(now - SHORTEST_MONTH.toSeconds()) : List.of();
    }

    /** Every due tenant in turn, in this thread: for tests and tools; the service fans out one job per tenant. */
    public TickResult tick(long now) {
        int made = 0;
        int failed = 0;
        for (String tenant : dueTenants(now)) {
            try {
                if (invoice(tenant, now)) {
                    made++;
                }
            } catch (NwcException e) {
                failed++;
            }
        }
        return new TickResult(made, failed);
    }

    /**
     * Claims and makes the tenant's next invoice, if one is due; true when this call made it. Throws when the
     * platform wallet did not make the BOLT11: the claim stays, and the retry finishes it.
     */
    public boolean invoice(String tenantPubkey, long now) throws NwcException {
        if (!enabled()) {
            return false;
        }
        Tenant tenant = db.tenants().find(tenantPubkey).orElse(null);
        Claim claimed = tenant == null || tenant.billingAnchor() == null ? null : claim(tenant, now);
        if (claimed == null) {
            return false;
        }
        if (!claimed.leased() && !lease(claimed.invoice())) {
            return false;
        }
        try {
            return finish(claimed.invoice(), tenant, now);
        } catch (NwcException e) {
            LOG.warn("invoice {} for {}: platform wallet said {}; retried later", claimed.invoice().id(), tenantPubkey,
                    e.describe());
            throw e;
        }
    }

    /** A claimed invoice, and whether this run holds the lease on asking the wallet for its BOLT11. */
    private record Claim(Invoice invoice, boolean leased) {
    }


    /**
     * Leases a claim found unmade. False when its BOLT11 exists meanwhile; throws (the job retries) while
     * another run holds the lease, or died holding it, until the lease runs out.
     */
    private boolean lease(Invoice invoice) throws NwcException {
        long wallNow = clock.instant().getEpochSecond();
        if (db.invoices().leaseMaking(invoice.id(), wallNow, wallNow + MAKING_LEASE.toSeconds()) == 1) {
            return true;
        }
        if (db.invoices().find(invoice.id()).map(i -> i.bolt11() != null).orElse(true)) {
            return false;
        }
        throw NwcException.noAnswer("another run holds the lease on this invoice's BOLT11");
    }

    /** The tenant's claimed-but-unmade invoice, or a new claim for its next period with usage; null if none. */
    private Claim claim(Tenant tenant, long now) {
        List<Invoice> pending = db.invoices().pendingFor(tenant.pubkey());
        if (!pending.isEmpty()) {
            return pending.stream().filter(i -> i.bolt11() == null).findFirst().map(i -> new Claim(i, false)).orElse(null);
        }
        long anchor = tenant.billingAnchor();
        Long last = db.invoices().lastPeriodEnd(tenant.pubkey());
        Optional<Period> period = BillingCycle.nextClosed(anchor, last == null ? anchor : Math.max(anchor, last), now);
        while (period.isPresent()) {
            List<Charge> charges = Usage.ofRelays(db.activity().relayHistory(tenant.pubkey(), period.get().end()),
                    period.get());
            long total = charges.stream().mapToLong(Charge::amount).sum();
            if (total > 0) {
                return insertClaim(tenant, period.get(), charges, total, now);
            }
            period = BillingCycle.nextClosed(anchor, period.get().end(), now);
        }
        return null;
    }

    /** Inserts the claim, holding the lease from the start: the insert is the one statement that decides. */
    private Claim insertClaim(Tenant tenant, Period period, List<Charge> charges, long total, long now) {
        long wallNow = clock.instant().getEpochSecond();
        Invoice invoice = new Invoice(Ids.random(), tenant.pubkey(), period.start(), period.end(), total, null, null,
                Invoice.PENDING, now, null, null, null, null, null, null, null, null, null,
                wallNow + MAKING_LEASE.toSeconds());
        try {
            db.jdbi().useTransaction(h -> {
                InvoiceDao invoices = h.attach(InvoiceDao.class);
                invoices.insert(invoice);
                charges.forEach(c -> invoices.insertItem(new InvoiceItem(invoice.id(), c.relay(), c.plan(), c.hours(),
                        c.amount())));
                h.attach(ActivityDao.class).insert(new Activity(Ids.random(), tenant.pubkey(), now,
                        "create_invoice", Activity.INVOICE, invoice.id(),
                        "{\"amount\":" + total + ",\"period_start\":" + period.start() + ",\"status\":\"pending\"}"));
            });
            return new Claim(invoice, true);
        } catch (RuntimeException e) {
            if (Conflicts.isUniqueViolation(e)) {
                // another run claimed this period first: finish its claim if it is not made yet
                return db.invoices().findByPeriod(tenant.pubkey(), period.start())
                        .filter(i -> i.bolt11() == null && Invoice.PENDING.equals(i.status()))
                        .map(i -> new Claim(i, false)).orElse(null);
            }
            throw e;
        }
    }

    private boolean finish(Invoice invoice, Tenant tenant, long now) throws NwcException {
        Wallets.Bolt11 bolt11;
        try {
            bolt11 = wallets.makeInvoice(platform.get(), invoice.amount(),
                    description(invoice.periodStart(), invoice.periodEnd()), now);
        } catch (NwcException e) {
            db.invoices().releaseMaking(invoice.id());
            throw e;
        }
        boolean hasWallet = tenant.nwcUrl() != null;
        boolean made = db.jdbi().inTransaction(handle -> {
            InvoiceDao invoices = handle.attach(InvoiceDao.class);
            if (invoices.setBolt11(invoice.id(), bolt11.invoice(), bolt11.paymentHash(), bolt11.expiresAt()) == 0) {
                return false;
            }
            // without a wallet this DM is the one that asks the tenant to pay: the collector's key, said once
            notifier.notify(handle, tenant.pubkey(), DmSender.INVOICE_CREATED, Activity.INVOICE, invoice.id(),
                    hasWallet ? "invoice_created:" + invoice.id() : Collector.bolt11Key(invoice.id(), bolt11.paymentHash()),
                    Messages.invoiceCreated(invoice.periodStart(), invoice.periodEnd(), invoice.amount(),
                            bolt11.invoice(), hasWallet));
            return true;
        });
        if (made) {
            LOG.info("invoice {} for {}: {} sats", invoice.id(), tenant.pubkey(), invoice.amount());
        }
        return made;
    }

    static String description(long periodStart, long periodEnd) {
        return "Caravel relay hosting " + DAY.format(Instant.ofEpochSecond(periodStart)) + " to "
                + DAY.format(Instant.ofEpochSecond(periodEnd));
    }
}
