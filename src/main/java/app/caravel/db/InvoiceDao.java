package app.caravel.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

@RegisterConstructorMapper(Invoice.class)
@RegisterConstructorMapper(InvoiceItem.class)
public interface InvoiceDao {
    @SqlUpdate("INSERT INTO invoices (id, tenant, period_start, period_end, amount, bolt11, payment_hash, status, "
            + "created_at, attempted_at, sent_at, paid_at, closed_at, error, paying_at, paying_wallet, expires_at, "
            + "attempted_wallet, making_until) VALUES (:id, :tenant, :periodStart, :periodEnd, :amount, :bolt11, :paymentHash, :status, "
            + ":createdAt, :attemptedAt, :sentAt, :paidAt, :closedAt, :error, :payingAt, :payingWallet, :expiresAt, "
            + ":attemptedWallet, :makingUntil)")
    void insert(@BindMethods Invoice invoice);

    @SqlUpdate("INSERT INTO invoice_items (invoice, relay, plan, hours, amount) "
            + "VALUES (:invoice, :relay, :plan, :hours, :amount)")
    void insertItem(@BindMethods InvoiceItem item);

    @SqlQuery("SELECT * FROM invoices WHERE id = :id")
    Optional<Invoice> find(@Bind("id") String id);

    @SqlQuery("SELECT * FROM invoices WHERE tenant = :tenant ORDER BY period_start")
    List<Invoice> listByTenant(@Bind("tenant") String tenant);

    @SqlQuery("SELECT * FROM invoices ORDER BY created_at, id")
    List<Invoice> list();

    @SqlQuery("SELECT * FROM invoices WHERE status = 'pending' ORDER BY created_at, id")
    List<Invoice> listPending();

    @SqlQuery("SELECT * FROM invoice_items WHERE invoice = :invoice ORDER BY relay, plan")
    List<InvoiceItem> items(@Bind("invoice") String invoice);

    /**
     * Money received is always booked: a pending invoice, or one an admin closed (its closed_at stays, so the
     * close is still on record), becomes paid; the row count says whether this call did it.
     */
    @SqlUpdate("UPDATE invoices SET status = 'paid', paid_at = :now, error = NULL, paying_at = NULL, paying_wallet = NULL "
            + "WHERE id = :id AND status IN ('pending', 'closed')")
    int markPaid(@Bind("id") String id, @Bind("now") long now);

    /**
     * Sets the in-flight marker naming the wallet asked to pay; 0 when another attempt holds it or the invoice
     * is no longer pending.
     */
    @SqlUpdate("UPDATE invoices SET paying_at = :now, paying_wallet = :wallet, attempted_at = :now, "
            + "attempted_wallet = :wallet WHERE id = :id AND status = 'pending' AND paying_at IS NULL")
    int markPaying(@Bind("id") String id, @Bind("now") long now, @Bind("wallet") String wallet);

    /** Clears the marker set at {@code payingAt}, and only that one (a newer attempt keeps its own). */
    @SqlUpdate("UPDATE invoices SET paying_at = NULL, paying_wallet = NULL WHERE id = :id AND paying_at = :payingAt")
    int clearPaying(@Bind("id") String id, @Bind("payingAt") long payingAt);

    /** Closed invoices whose BOLT11 can still be paid: a late payment of one must still be booked. */
    @SqlQuery("SELECT * FROM invoices WHERE status = 'closed' AND bolt11 IS NOT NULL AND expires_at > :now "
            + "ORDER BY created_at, id")
    List<Invoice> listClosedPayable(@Bind("now") long now);

    /**
     * On the (tenant, status) index: with the status index alone SQLite read every pending invoice for each
     * tenant, which made a billing tick quadratic.
     */
    @SqlQuery("SELECT * FROM invoices WHERE tenant = :tenant AND status = 'pending' ORDER BY created_at")
    List<Invoice> pendingFor(@Bind("tenant") String tenant);

    /** Whether the tenant owes an invoice created at or before {@code createdBefore} (past its grace period). */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM invoices WHERE tenant = :tenant AND status = 'pending' "
            + "AND bolt11 IS NOT NULL AND created_at <= :createdBefore)")
    boolean hasOverdue(@Bind("tenant") String tenant, @Bind("createdBefore") long createdBefore);

    @SqlQuery("SELECT max(period_end) FROM invoices WHERE tenant = :tenant")
    Long lastPeriodEnd(@Bind("tenant") String tenant);

    /** An admin forgives a pending invoice; never while a payment of it is in flight (its outcome is unknown). */
    @SqlUpdate("UPDATE invoices SET status = 'closed', closed_at = :now WHERE id = :id AND status = 'pending' "
            + "AND paying_at IS NULL")
    int markClosed(@Bind("id") String id, @Bind("now") long now);

    @SqlUpdate("UPDATE invoices SET attempted_at = :now, error = :error WHERE id = :id")
    int markAttempted(@Bind("id") String id, @Bind("now") long now, @Bind("error") String error);

    /** The BOLT11 reached the tenant (a relay accepted the DM that carries it); the first delivery counts. */
    @SqlUpdate("UPDATE invoices SET sent_at = :now WHERE id = :id AND sent_at IS NULL")
    int markSent(@Bind("id") String id, @Bind("now") long now);

    /** The claimed invoice of a tenant and period, made or not. */
    @SqlQuery("SELECT * FROM invoices WHERE tenant = :tenant AND period_start = :periodStart")
    Optional<Invoice> findByPeriod(@Bind("tenant") String tenant, @Bind("periodStart") long periodStart);

    /**
     * Takes the lease on asking the platform wallet for a claimed invoice's BOLT11: 0 when the BOLT11 exists or
     * another run holds an unexpired lease. A run that dies holding it is replaced once it expires.
     */
    @SqlUpdate("UPDATE invoices SET making_until = :until WHERE id = :id AND bolt11 IS NULL "
            + "AND (making_until IS NULL OR making_until < :now)")
    int leaseMaking(@Bind("id") String id, @Bind("now") long now, @Bind("until") long until);

    /** The wallet failed: the next run may ask again at once. */
    @SqlUpdate("UPDATE invoices SET making_until = NULL WHERE id = :id AND bolt11 IS NULL")
    int releaseMaking(@Bind("id") String id);

    /** The platform wallet made the BOLT11 of a claimed invoice; 0 when another run already did. */
    @SqlUpdate("UPDATE invoices SET bolt11 = :bolt11, payment_hash = :hash, expires_at = :expiresAt "
            + "WHERE id = :id AND bolt11 IS NULL")
    int setBolt11(@Bind("id") String id, @Bind("bolt11") String bolt11, @Bind("hash") String paymentHash,
                  @Bind("expiresAt") long expiresAt);

    /**
     * A fresh BOLT11 for an invoice whose current one expires: only from the hash that was read (another run
     * may have re-issued it already) and never while a payment of it is in flight.
     */
    @SqlUpdate("UPDATE invoices SET bolt11 = :bolt11, payment_hash = :hash, expires_at = :expiresAt, sent_at = NULL "
            + "WHERE id = :id AND payment_hash = :oldHash AND status = 'pending' AND paying_at IS NULL")
    int reissue(@Bind("id") String id, @Bind("oldHash") String oldHash, @Bind("bolt11") String bolt11,
                @Bind("hash") String paymentHash, @Bind("expiresAt") long expiresAt);

    @SqlUpdate("INSERT INTO invoice_payment_hashes (payment_hash, invoice, bolt11, expires_at, created_at) "
            + "VALUES (:hash, :invoice, :bolt11, :expiresAt, :now)")
    void insertHash(@Bind("hash") String paymentHash, @Bind("invoice") String invoice, @Bind("bolt11") String bolt11,
                    @Bind("expiresAt") long expiresAt, @Bind("now") long now);

    /**
     * Every payment hash the invoice has had: the current one, then those it replaced, newest first. A payment
     * of any of them pays the invoice.
     */
    @SqlQuery("SELECT payment_hash FROM (SELECT payment_hash, 1 AS rank, 0 AS at FROM invoices WHERE id = :invoice "
            + "AND payment_hash IS NOT NULL UNION ALL SELECT payment_hash, 2, -created_at FROM invoice_payment_hashes "
            + "WHERE invoice = :invoice) ORDER BY rank, at")
    List<String> paymentHashes(@Bind("invoice") String invoice);

    @SqlQuery("SELECT id FROM invoices WHERE status = 'pending' ORDER BY created_at, id")
    List<String> pendingIds();
}
