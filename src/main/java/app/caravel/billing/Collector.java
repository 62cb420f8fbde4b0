package app.caravel.billing;

import app.caravel.db.Activity;
import app.caravel.db.ActivityDao;
import app.caravel.db.Database;
import app.caravel.db.Ids;
import app.caravel.db.Invoice;
import app.caravel.db.InvoiceDao;
import app.caravel.db.Tenant;
import app.caravel.db.TenantDao;
import app.caravel.nostr.NwcException;
import app.caravel.nostr.NwcUri;
import app.caravel.robot.Messages;
import app.caravel.robot.Notifier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Collects pending invoices (SPEC §5.2) and applies the grace period.
 *
 * <p>The no-double-payment protocol, for an invoice and a tenant wallet:
 * <ol>
 *   <li>Ask the platform wallet ({@code lookup_invoice}) first: paid out of band means paid, nothing sent.</li>
 *   <li>If a previous attempt left the in-flight marker ({@code paying_at}), its outcome is unknown (the
 *   process died, or the wallet never answered). Ask the tenant's wallet about the payment hash: settled →
 *   paid; pending → wait for a later run; failed or unknown to the wallet → the marker is cleared and the
 *   invoice is treated as unpaid. No {@code pay_invoice} is ever sent while the marker stands.</li>
 *   <li>At most one attempt per invoice per 24 h.</li>
 *   <li>Set the marker and commit, then send {@code pay_invoice}. Success → paid (marker cleared). A wallet
 *   error → the marker is cleared, the error kept on the tenant and invoice, and the tenant told once per
 *   kind of error. No answer → the marker stays, and step 2 settles it later.</li>
 * </ol>
 * A crash anywhere leaves either no marker (nothing was sent) or a marker (step 2 asks before paying), so
 * a retry never pays twice.
 */
public final class Collector {
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    private static final long DAY = 86_400;

    private final Database db;
    private final Optional<NwcUri> platform;
    private final Wallets wallets;
    private final Notifier notifier;
    private final RelayStanding standing;
    private final Duration grace;
    private final ReentrantLock lock = new ReentrantLock();

    public Collector(Database db, Optional<NwcUri> platform, Wallets wallets, Notifier notifier,
                     RelayStanding standing, Duration grace) {
        this.db = db;
        this.platform = platform;
        this.wallets = wallets;
        this.notifier = notifier;
        this.standing = standing;
        this.grace = grace;
    }

    public record CollectResult(int paid, int attempted, int delinquent) {
    }

    public CollectResult collect(long now) {
        lock.lock();
        try {
            int paid = 0;
            int attempted = 0;
            for (Invoice invoice : db.invoices().listPending()) {
                try {
                    switch (collect(invoice, now)) {
                        case PAID -> paid++;
                        case ATTEMPTED -> attempted++;
                        default -> { }
                    }
                } catch (NwcException e) {
                    LOG.warn("invoice {}: wallet unavailable ({}), trying again later", invoice.id(), e.describe());
                }
            }
            return new CollectResult(paid, attempted, applyGracePeriod(now));
        } finally {
            lock.unlock();
        }
    }

    private enum Step { PAID, ATTEMPTED, WAITING }

    private Step collect(Invoice invoice, long now) throws NwcException {
        if (platform.isPresent() && invoice.paymentHash() != null
                && wallets.lookup(platform.get(), invoice.paymentHash()) == Wallets.PaymentState.SETTLED) {
            return paid(invoice, now) ? Step.PAID : Step.WAITING;
        }
        Tenant tenant = db.tenants().find(invoice.tenant()).orElseThrow();
        if (tenant.nwcUrl() == null) {
            sendBolt11(invoice, now);
            return Step.WAITING;
        }
        NwcUri wallet = NwcUri.parse(tenant.nwcUrl());
        if (invoice.payingAt() != null) {
            Wallets.PaymentState state = wallets.lookup(wallet, invoice.paymentHash());
            if (state == Wallets.PaymentState.SETTLED) {
                return paid(invoice, now) ? Step.PAID : Step.WAITING;
            }
            if (state == Wallets.PaymentState.PENDING) {
                return Step.WAITING;
            }
            db.invoices().clearPaying(invoice.id());
        }
        if (invoice.attemptedAt() != null && now - invoice.attemptedAt() < DAY) {
            return Step.WAITING;
        }
        if (db.invoices().markPaying(invoice.id(), now) == 0) {
            return Step.WAITING;
        }
        try {
            wallets.pay(wallet, invoice.bolt11());
        } catch (NwcException e) {
            recordFailure(invoice, e, now);
            return Step.ATTEMPTED;
        }
        return paid(invoice, now) ? Step.PAID : Step.ATTEMPTED;
    }

    /** pending → paid once; the tenant's last error is cleared and its delinquent relays come back. */
    private boolean paid(Invoice invoice, long now) {
        return db.jdbi().inTransaction(handle -> {
            if (handle.attach(InvoiceDao.class).markPaid(invoice.id(), now) == 0) {
                return false;
            }
            handle.attach(TenantDao.class).setNwcError(invoice.tenant(), null);
            activity(handle, invoice, "mark_invoice_paid", "paid", now);
            standing.restore(handle, invoice.tenant(), invoice.id(), now);
            LOG.info("invoice {} paid", invoice.id());
            return true;
        });
    }

    private void recordFailure(Invoice invoice, NwcException e, long now) {
        String reason = e.describe();
        db.jdbi().useTransaction(handle -> {
            InvoiceDao invoices = handle.attach(InvoiceDao.class);
            invoices.markAttempted(invoice.id(), now, reason);
            if (!e.timedOut()) {
                // the wallet answered: nothing is in flight any more
                invoices.clearPaying(invoice.id());
            }
            handle.attach(TenantDao.class).setNwcError(invoice.tenant(), reason);
            activity(handle, invoice, "mark_invoice_attempted", "pending", now);
            String kind = e.timedOut() ? "TIMEOUT" : e.code().name();
            notifier.notify(handle, invoice.tenant(), "payment_failed", Activity.INVOICE, invoice.id(),
                    "payment_failed:" + invoice.id() + ":" + kind,
                    Messages.paymentFailed(invoice.amount(), reason, invoice.bolt11()));
        });
        LOG.info("invoice {}: payment failed: {}", invoice.id(), reason);
    }

    /** With no wallet to collect from, the tenant gets the BOLT11 by DM, once. */
    private void sendBolt11(Invoice invoice, long now) {
        if (invoice.sentAt() != null) {
            return;
        }
        db.jdbi().useTransaction(handle -> {
            handle.attach(InvoiceDao.class).markSent(invoice.id(), now);
            activity(handle, invoice, "mark_invoice_sent", "pending", now);
            notifier.notify(handle, invoice.tenant(), "invoice_created", Activity.INVOICE, invoice.id(),
                    "invoice_bolt11:" + invoice.id(), Messages.invoiceCreated(invoice.periodStart(),
                            invoice.periodEnd(), invoice.amount(), invoice.bolt11(), false));
        });
    }

    /** Invoices unpaid past the grace period make their tenant's paid relays delinquent (once). */
    private int applyGracePeriod(long now) {
        int changed = 0;
        for (Invoice invoice : db.invoices().listPending()) {
            if (now - invoice.createdAt() >= grace.toSeconds()) {
                changed += db.jdbi().inTransaction(handle -> standing.suspend(handle, invoice.tenant(), invoice.id(),
                        invoice.amount(), invoice.bolt11(), now).size());
            }
        }
        return changed;
    }

    /** An admin forgives an invoice: closed, and the tenant's relays come back if nothing else is owed. */
    public boolean close(String invoiceId, long now) {
        return db.jdbi().inTransaction(handle -> {
            Invoice invoice = handle.attach(InvoiceDao.class).find(invoiceId).orElse(null);
            if (invoice == null || handle.attach(InvoiceDao.class).markClosed(invoiceId, now) == 0) {
                return false;
            }
            activity(handle, invoice, "mark_invoice_closed", "closed", now);
            standing.restore(handle, invoice.tenant(), invoice.id(), now);
            return true;
        });
    }

    private static void activity(Handle handle, Invoice invoice, String type, String status, long now) {
        handle.attach(ActivityDao.class).insert(new Activity(Ids.random(), invoice.tenant(), now, type,
                Activity.INVOICE, invoice.id(), "{\"amount\":" + invoice.amount() + ",\"status\":\"" + status + "\"}"));
    }
}
