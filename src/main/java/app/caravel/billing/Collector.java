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
import app.caravel.robot.DmSender;
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
 *   <li>If a previous attempt left the in-flight marker ({@code paying_at}, naming the wallet asked in
 *   {@code paying_wallet}), its outcome is unknown (the process died, or the wallet never answered). Only
 *   that wallet can say what became of it: settled → paid; pending → wait; failed or unknown to it → the
 *   marker is cleared. If the tenant has since connected another wallet, the marker stands until the
 *   platform wallet sees the payment or the BOLT11 expires (after which the old payment can no longer land).
 *   No {@code pay_invoice} is ever sent while the marker stands.</li>
 *   <li>At most one attempt per invoice per 24 h.</li>
 *   <li>Set the marker and commit it durably ({@link Database#durably}), then send {@code pay_invoice}.
 *   Success → paid (marker cleared). A
 *   well-formed wallet error → the marker is cleared, the error kept on the tenant and invoice, and the
 *   tenant told once per kind of error. No answer, or one that cannot be read → the marker stays, and step 2
 *   settles it later.</li>
 * </ol>
 * A crash anywhere leaves either no marker (nothing was sent) or a marker (step 2 asks before paying), so
 * a retry never pays twice. Every marker change is a conditional update, so two collectors racing on one
 * invoice cannot both pay it.
 */
public final class Collector {
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    private static final long DAY = 86_400;
    /** The dedupe key prefix of the DM that asks a tenant without a wallet to pay an invoice itself. */
    public static final String BOLT11_KEY = "invoice_bolt11:";

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

    public enum CloseOutcome { CLOSED, NOT_PENDING, PAYMENT_IN_FLIGHT }

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
            paid += bookLatePayments(now);
            return new CollectResult(paid, attempted, applyGracePeriod(now));
        } finally {
            lock.unlock();
        }
    }

    private enum Step { PAID, ATTEMPTED, WAITING, CLEARED }

    private Step collect(Invoice invoice, long now) throws NwcException {
        if (settledAtPlatform(invoice)) {
            return paid(invoice, now) ? Step.PAID : Step.WAITING;
        }
        Tenant tenant = db.tenants().find(invoice.tenant()).orElseThrow();
        if (tenant.nwcUrl() == null) {
            sendBolt11(invoice);
            return Step.WAITING;
        }
        NwcUri wallet = NwcUri.parse(tenant.nwcUrl());
        if (invoice.payingAt() != null) {
            Step inFlight = settleInFlight(invoice, wallet, now);
            if (inFlight != Step.CLEARED) {
                return inFlight;
            }
        }
        if (invoice.attemptedAt() != null && now - invoice.attemptedAt() < DAY) {
            return Step.WAITING;
        }
        if (db.durably(h -> h.attach(InvoiceDao.class).markPaying(invoice.id(), now, wallet.payerId())) == 0) {
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

    private boolean settledAtPlatform(Invoice invoice) throws NwcException {
        return platform.isPresent() && invoice.paymentHash() != null
                && wallets.lookup(platform.get(), invoice.paymentHash()) == Wallets.PaymentState.SETTLED;
    }

    /** What became of a payment whose outcome was unknown: only the wallet that was asked may say it failed. */
    private Step settleInFlight(Invoice invoice, NwcUri wallet, long now) throws NwcException {
        if (wallet.payerId().equals(invoice.payingWallet())) {
            return switch (wallets.lookup(wallet, invoice.paymentHash())) {
                case SETTLED -> paid(invoice, now) ? Step.PAID : Step.WAITING;
                case PENDING -> Step.WAITING;
                case FAILED, NOT_FOUND -> clear(invoice);
            };
        }
        if (invoice.expiresAt() != null && invoice.expiresAt() <= now) {
            // the BOLT11 can no longer be paid, so the payment that other wallet was asked for can never land
            return clear(invoice);
        }
        return Step.WAITING;
    }

    private Step clear(Invoice invoice) {
        return db.invoices().clearPaying(invoice.id(), invoice.payingAt()) == 1 ? Step.CLEARED : Step.WAITING;
    }

    /** A late payment of a closed invoice (still payable) is booked: the money is never lost from the books. */
    private int bookLatePayments(long now) {
        int booked = 0;
        for (Invoice closed : db.invoices().listClosedPayable(now)) {
            try {
                if (settledAtPlatform(closed) && paid(closed, now)) {
                    booked++;
                }
            } catch (NwcException e) {
                LOG.warn("closed invoice {}: platform wallet unavailable ({})", closed.id(), e.describe());
            }
        }
        return booked;
    }

    /** pending (or closed) → paid once; the tenant's last error is cleared and its delinquent relays come back. */
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
            if (e.refused()) {
                // a well-formed refusal: nothing is in flight any more
                invoices.clearPaying(invoice.id(), now);
            }
            handle.attach(TenantDao.class).setNwcError(invoice.tenant(), reason);
            activity(handle, invoice, "mark_invoice_attempted", "pending", now);
            notifier.notify(handle, invoice.tenant(), "payment_failed", Activity.INVOICE, invoice.id(),
                    "payment_failed:" + invoice.id() + ":" + e.kindName(),
                    Messages.paymentFailed(invoice.amount(), reason, invoice.bolt11()));
        });
        LOG.info("invoice {}: payment failed: {}", invoice.id(), reason);
    }

    /**
     * With no wallet to collect from, the tenant gets the BOLT11 by DM, once (the message's unique key; the
     * invoice's {@code sent_at} is set when a relay accepts it).
     */
    private void sendBolt11(Invoice invoice) {
        db.jdbi().useTransaction(handle -> notifier.notify(handle, invoice.tenant(), DmSender.INVOICE_CREATED,
                Activity.INVOICE, invoice.id(), BOLT11_KEY + invoice.id(), Messages.invoiceCreated(invoice.periodStart(),
                        invoice.periodEnd(), invoice.amount(), invoice.bolt11(), false)));
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

    /**
     * An admin forgives a pending invoice: closed, and the tenant's relays come back if nothing else is owed.
     * Refused while a payment of it is in flight: its outcome must be known first.
     */
    public CloseOutcome close(String invoiceId, long now) {
        return db.jdbi().inTransaction(handle -> {
            InvoiceDao invoices = handle.attach(InvoiceDao.class);
            Invoice invoice = invoices.find(invoiceId).orElse(null);
            if (invoice == null || !Invoice.PENDING.equals(invoice.status())) {
                return CloseOutcome.NOT_PENDING;
            }
            if (invoices.markClosed(invoiceId, now) == 0) {
                return invoice.payingAt() != null ? CloseOutcome.PAYMENT_IN_FLIGHT : CloseOutcome.NOT_PENDING;
            }
            activity(handle, invoice, "mark_invoice_closed", "closed", now);
            standing.restore(handle, invoice.tenant(), invoice.id(), now);
            return CloseOutcome.CLOSED;
        });
    }

    private static void activity(Handle handle, Invoice invoice, String type, String status, long now) {
        handle.attach(ActivityDao.class).insert(new Activity(Ids.random(), invoice.tenant(), now, type,
                Activity.INVOICE, invoice.id(), "{\"amount\":" + invoice.amount() + ",\"status\":\"" + status + "\"}"));
    }
}
