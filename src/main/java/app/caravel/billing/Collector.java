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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collects one invoice at a time (SPEC §5.2); the service runs one job per invoice, so a slow or silent
 * wallet holds back nobody else. Correctness rests on the database alone (conditional updates), never on a
 * lock in this process, so any number of collectors may run.
 *
 * <p>The no-double-payment protocol, for an invoice and a tenant wallet:
 * <ol>
 *   <li>Ask the platform wallet ({@code lookup_invoice}) about every payment hash the invoice has had: paid out
 *   of band (or a late payment of a replaced BOLT11) means paid, nothing sent.</li>
 *   <li>If a previous attempt left the in-flight marker ({@code paying_at}, naming the wallet asked in
 *   {@code paying_wallet}), its outcome is unknown (the process died, or the wallet never answered). Only
 *   that wallet can say what became of it: settled → paid; pending → wait; failed or unknown to it → the
 *   marker is cleared. If the tenant has since connected another wallet, the marker stands until the
 *   platform wallet sees the payment or the BOLT11 expires (after which the old payment can no longer land).
 *   No {@code pay_invoice} is ever sent while the marker stands.</li>
 *   <li>A BOLT11 that has expired, or will within a day, is replaced by a fresh one from the platform wallet
 *   (same invoice, same amount; the old hash is kept) before it is sent or paid.</li>
 *   <li>At most one attempt per invoice per wallet per 24 h: a newly connected wallet pays at once.</li>
 *   <li>Set the marker and commit it durably ({@link Database#durably}), then send {@code pay_invoice}.
 *   Success → paid (marker cleared). A well-formed wallet error → the marker is cleared, the error kept on the
 *   tenant and invoice, and the tenant told once per kind of error. No answer, or one that cannot be read →
 *   the marker stays, and step 2 settles it later.</li>
 * </ol>
 * A crash anywhere leaves either no marker (nothing was sent) or a marker (step 2 asks before paying), so
 * a retry never pays twice.
 */
public final class Collector {
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    private static final long DAY = 86_400;
    /** A BOLT11 expiring within this is replaced before it is sent or paid. */
    static final long REISSUE_BEFORE = DAY;

    private final Database db;
    private final Optional<NwcUri> platform;
    private final Wallets wallets;
    private final Notifier notifier;
    private final RelayStanding standing;
    private final Duration grace;

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

    public enum Step { PAID, ATTEMPTED, WAITING, NOTHING }

    public enum CloseOutcome { CLOSED, NOT_PENDING, PAYMENT_IN_FLIGHT }

    /** The dedupe key of the DM that asks a tenant without a wallet to pay one BOLT11 itself. */
    public static String bolt11Key(String invoiceId, String paymentHash) {
        return "invoice_bolt11:" + invoiceId + ":" + paymentHash;
    }

    /** The invoices collection looks at: pending ones, and closed ones whose BOLT11 may still be paid late. */
    public List<String> openInvoiceIds(long at) {
        List<String> open = new ArrayList<>(db.invoices().pendingIds());
        db.invoices().listClosedPayable(at).forEach(i -> open.add(i.id()));
        return open;
    }

    /** Every open invoice in turn, in this thread, then the grace period: for tests and tools. */
    public CollectResult collect(long now) {
        int paid = 0;
        int attempted = 0;
        for (String id : openInvoiceIds(now)) {
            try {
                switch (collect(id, now)) {
                    case PAID -> paid++;
                    case ATTEMPTED -> attempted++;
                    default -> { }
                }
            } catch (NwcException e) {
                LOG.warn("invoice {}: wallet unavailable ({}), trying again later", id, e.describe());
            }
        }
        return new CollectResult(paid, attempted, applyGracePeriod(now));
    }

    /**
     * One invoice: what the collect job runs. Throws when a wallet whose answer decides the next step did not
     * give one (the job is retried with backoff); a refused payment is recorded, not thrown.
     */
    public Step collect(String invoiceId, long now) throws NwcException {
        Invoice invoice = db.invoices().find(invoiceId).orElse(null);
        if (invoice == null || invoice.bolt11() == null || Invoice.PAID.equals(invoice.status())) {
            return Step.NOTHING;
        }
        if (settledAtPlatform(invoice)) {
            return paid(invoice, now) ? Step.PAID : Step.WAITING;
        }
        if (!Invoice.PENDING.equals(invoice.status())) {
            return Step.NOTHING; // closed: only a late payment of it is looked for
        }
        Tenant tenant = db.tenants().find(invoice.tenant()).orElseThrow();
        Optional<NwcUri> wallet = Optional.ofNullable(db.secrets().open(tenant.nwcUrl())).map(NwcUri::parse);
        if (invoice.payingAt() != null) {
            Step inFlight = settleInFlight(invoice, wallet, now);
            if (inFlight != Step.NOTHING) {
                return inFlight;
            }
            invoice = db.invoices().find(invoiceId).orElseThrow();
        }
        invoice = reissueIfExpiring(invoice, now);
        if (wallet.isEmpty()) {
            sendBolt11(invoice);
            return Step.WAITING;
        }
        String payer = wallet.get().payerId();
        if (invoice.attemptedAt() != null && now - invoice.attemptedAt() < DAY && payer.equals(invoice.attemptedWallet())) {
            return Step.WAITING;
        }
        String paying = invoice.id();
        if (db.durably(h -> h.attach(InvoiceDao.class).markPaying(paying, now, payer)) == 0) {
            return Step.WAITING;
        }
        try {
            wallets.pay(wallet.get(), invoice.bolt11());
        } catch (NwcException e) {
            recordFailure(invoice, e, now);
            return Step.ATTEMPTED;
        }
        return paid(invoice, now) ? Step.PAID : Step.ATTEMPTED;
    }

    /** The platform wallet, asked about every hash the invoice has had (a replaced BOLT11 may still be paid). */
    private boolean settledAtPlatform(Invoice invoice) throws NwcException {
        if (platform.isEmpty()) {
            return false;
        }
        for (String hash : db.invoices().paymentHashes(invoice.id())) {
            if (wallets.lookup(platform.get(), hash) == Wallets.PaymentState.SETTLED) {
                return true;
            }
        }
        return false;
    }

    /**
     * What became of a payment whose outcome was unknown: only the wallet that was asked may say it failed.
     * NOTHING when the marker was cleared and collection goes on.
     */
    private Step settleInFlight(Invoice invoice, Optional<NwcUri> wallet, long now) throws NwcException {
        if (wallet.isPresent() && wallet.get().payerId().equals(invoice.payingWallet())) {
            return switch (wallets.lookup(wallet.get(), invoice.paymentHash())) {
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
        return db.invoices().clearPaying(invoice.id(), invoice.payingAt()) == 1 ? Step.NOTHING : Step.WAITING;
    }

    /** Same invoice, same amount, a fresh BOLT11 when the current one is (nearly) expired; the old hash is kept. */
    private Invoice reissueIfExpiring(Invoice invoice, long now) throws NwcException {
        if (platform.isEmpty() || invoice.expiresAt() == null || invoice.expiresAt() - now > REISSUE_BEFORE) {
            return invoice;
        }
        Wallets.Bolt11 fresh = wallets.makeInvoice(platform.get(), invoice.amount(),
                Invoicer.description(invoice.periodStart(), invoice.periodEnd()), now);
        db.jdbi().useTransaction(handle -> {
            InvoiceDao invoices = handle.attach(InvoiceDao.class);
            if (invoices.reissue(invoice.id(), invoice.paymentHash(), fresh.invoice(), fresh.paymentHash(),
                    fresh.expiresAt()) == 1) {
                // the replaced BOLT11 joins the history: a late payment of it is still looked for
                invoices.insertHash(invoice.paymentHash(), invoice.id(), invoice.bolt11(), invoice.expiresAt(), now);
                LOG.info("invoice {}: BOLT11 expiring, re-issued", invoice.id());
            }
        });
        return db.invoices().find(invoice.id()).orElseThrow();
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
     * With no wallet to collect from, the tenant gets the BOLT11 by DM, once per BOLT11 (the message's unique
     * key; the invoice's {@code sent_at} is set when a relay accepts it).
     */
    private void sendBolt11(Invoice invoice) {
        db.jdbi().useTransaction(handle -> notifier.notify(handle, invoice.tenant(), DmSender.INVOICE_CREATED,
                Activity.INVOICE, invoice.id(), bolt11Key(invoice.id(), invoice.paymentHash()),
                Messages.invoiceCreated(invoice.periodStart(), invoice.periodEnd(), invoice.amount(), invoice.bolt11(),
                        false)));
    }

    /** Invoices unpaid past the grace period make their tenant's paid relays delinquent (once). */
    public int applyGracePeriod(long now) {
        int changed = 0;
        for (Invoice invoice : db.invoices().listPending()) {
            if (invoice.bolt11() != null && now - invoice.createdAt() >= grace.toSeconds()) {
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
