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

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The billing tick: for each tenant with a billing anchor and no pending invoice, the first closed period
 * since its last invoice whose usage is above zero gets an invoice. The BOLT11 comes from the platform
 * wallet first; then invoice, items, activity and the DM commit in one transaction. The (tenant,
 * period_start) unique key makes a second invoice for the same period impossible, and ticks are serialised
 * so two of them never ask the wallet twice.
 */
public final class Invoicer {
    private static final Logger LOG = LoggerFactory.getLogger(Invoicer.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final Database db;
    private final Optional<NwcUri> platform;
    private final Wallets wallets;
    private final Notifier notifier;
    private final ReentrantLock lock = new ReentrantLock();

    public Invoicer(Database db, Optional<NwcUri> platform, Wallets wallets, Notifier notifier) {
        this.db = db;
        this.platform = platform;
        this.wallets = wallets;
        this.notifier = notifier;
    }

    public record TickResult(int invoices, int failures) {
    }

    public TickResult tick(long now) {
        if (platform.isEmpty()) {
            LOG.info("invoicing disabled (NWC_URL not set): no invoices made");
            return new TickResult(0, 0);
        }
        lock.lock();
        try {
            int made = 0;
            int failed = 0;
            for (Tenant tenant : db.tenants().billable()) {
                try {
                    if (invoiceTenant(tenant, now)) {
                        made++;
                    }
                } catch (NwcException e) {
                    failed++;
                    LOG.warn("no invoice for {} this tick: platform wallet said {}", tenant.pubkey(), e.describe());
                }
            }
            return new TickResult(made, failed);
        } finally {
            lock.unlock();
        }
    }

    private boolean invoiceTenant(Tenant tenant, long now) throws NwcException {
        if (!db.invoices().pendingFor(tenant.pubkey()).isEmpty()) {
            return false;
        }
        long anchor = tenant.billingAnchor();
        Long last = db.invoices().lastPeriodEnd(tenant.pubkey());
        long from = last == null ? anchor : Math.max(anchor, last);
        Optional<Period> period = BillingCycle.nextClosed(anchor, from, now);
        while (period.isPresent()) {
            List<Charge> charges = charges(tenant.pubkey(), period.get());
            long total = charges.stream().mapToLong(Charge::amount).sum();
            if (total > 0) {
                return create(tenant, period.get(), charges, total, now);
            }
            period = BillingCycle.nextClosed(anchor, period.get().end(), now);
        }
        return false;
    }

    /** Per relay and plan, from the tenant's relay history up to the end of the period. */
    public List<Charge> charges(String tenant, Period period) {
        return Usage.ofRelays(db.activity().relayHistory(tenant, period.end()), period);
    }

    private boolean create(Tenant tenant, Period period, List<Charge> charges, long total, long now)
            throws NwcException {
        String description = "Caravel relay hosting " + DAY.format(Instant.ofEpochSecond(period.start())) + " to "
                + DAY.format(Instant.ofEpochSecond(period.end()));
        Wallets.Bolt11 bolt11 = wallets.makeInvoice(platform.get(), total, description, now);
        boolean hasWallet = tenant.nwcUrl() != null;
        Invoice invoice = new Invoice(Ids.random(), tenant.pubkey(), period.start(), period.end(), total,
                bolt11.invoice(), bolt11.paymentHash(), Invoice.PENDING, now, null, null, null, null,
                null, null, null, bolt11.expiresAt());
        try {
            db.jdbi().useTransaction(handle -> {
                InvoiceDao invoices = handle.attach(InvoiceDao.class);
                invoices.insert(invoice);
                charges.forEach(c -> invoices.insertItem(new InvoiceItem(invoice.id(), c.relay(), c.plan(), c.hours(),
                        c.amount())));
                handle.attach(ActivityDao.class).insert(new Activity(Ids.random(), tenant.pubkey(), now,
                        "create_invoice", Activity.INVOICE, invoice.id(),
                        "{\"amount\":" + total + ",\"period_start\":" + period.start() + ",\"status\":\"pending\"}"));
                // without a wallet this DM is the one that asks the tenant to pay: the collector's key, said once
                notifier.notify(handle, tenant.pubkey(), DmSender.INVOICE_CREATED, Activity.INVOICE, invoice.id(),
                        (hasWallet ? "invoice_created:" : Collector.BOLT11_KEY) + invoice.id(),
                        Messages.invoiceCreated(period.start(), period.end(), total, bolt11.invoice(), hasWallet));
            });
            LOG.info("invoice {} for {}: {} sats", invoice.id(), tenant.pubkey(), total);
            return true;
        } catch (RuntimeException e) {
            if (Conflicts.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }
}
