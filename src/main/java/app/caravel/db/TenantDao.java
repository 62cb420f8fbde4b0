package app.caravel.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

@RegisterRowMapper(RowMappers.TenantMapper.class)
public interface TenantDao {
    @SqlUpdate("INSERT INTO tenants (pubkey, nwc_url, nwc_error, created_at, billing_anchor, status) "
            + "VALUES (:pubkey, :nwcUrl, :nwcError, :createdAt, :billingAnchor, :status)")
    void insert(@BindMethods Tenant tenant);

    @SqlQuery("SELECT * FROM tenants WHERE pubkey = :pubkey")
    Optional<Tenant> find(@Bind("pubkey") String pubkey);

    @SqlQuery("SELECT * FROM tenants ORDER BY created_at, pubkey")
    List<Tenant> list();

    @SqlQuery("SELECT * FROM tenants WHERE billing_anchor IS NOT NULL ORDER BY pubkey")
    List<Tenant> billable();

    @SqlUpdate("UPDATE tenants SET nwc_url = :nwcUrl, nwc_error = NULL WHERE pubkey = :pubkey")
    int setNwcUrl(@Bind("pubkey") String pubkey, @Bind("nwcUrl") String nwcUrl);

    @SqlUpdate("UPDATE tenants SET nwc_error = :error WHERE pubkey = :pubkey")
    int setNwcError(@Bind("pubkey") String pubkey, @Bind("error") String error);

    @SqlUpdate("UPDATE tenants SET billing_anchor = :anchor WHERE pubkey = :pubkey")
    int setBillingAnchor(@Bind("pubkey") String pubkey, @Bind("anchor") Long anchor);

    @SqlUpdate("UPDATE tenants SET status = :status WHERE pubkey = :pubkey")
    int setStatus(@Bind("pubkey") String pubkey, @Bind("status") String status);

    /**
     * Tenants an invoice may be due for, in one query: a claimed invoice still waiting for its BOLT11, or no
     * pending invoice and a last period end (or anchor) at least {@code closedBefore} ago. The invoice job
     * computes the exact period; a month is never shorter than 28 days, so nothing due is missed.
     */
    @SqlQuery("SELECT t.pubkey FROM tenants t WHERE t.billing_anchor IS NOT NULL AND ("
            + "EXISTS (SELECT 1 FROM invoices i WHERE i.tenant = t.pubkey AND i.status = 'pending' AND i.bolt11 IS NULL) "
            + "OR (NOT EXISTS (SELECT 1 FROM invoices i WHERE i.tenant = t.pubkey AND i.status = 'pending') "
            + "AND COALESCE((SELECT max(i.period_end) FROM invoices i WHERE i.tenant = t.pubkey), t.billing_anchor) "
            + "<= :closedBefore)) ORDER BY t.pubkey")
    List<String> dueForInvoice(@Bind("closedBefore") long closedBefore);

    /** A tenant with a wallet and a billing cycle, and the end of the last period its budget was checked for. */
    record BudgetCandidate(String pubkey, long billingAnchor, Long budgetCheckedUntil) {
    }

    @SqlQuery("SELECT pubkey, billing_anchor, budget_checked_until FROM tenants "
            + "WHERE nwc_url IS NOT NULL AND billing_anchor IS NOT NULL ORDER BY pubkey")
    @RegisterConstructorMapper(BudgetCandidate.class)
    List<BudgetCandidate> budgetCandidates();

    @SqlQuery("SELECT budget_checked_until FROM tenants WHERE pubkey = :pubkey")
    Optional<Long> budgetCheckedUntil(@Bind("pubkey") String pubkey);

    /** Records the check for the period ending {@code periodEnd}; 0 when it was recorded already. */
    @SqlUpdate("UPDATE tenants SET budget_checked_until = :periodEnd WHERE pubkey = :pubkey "
            + "AND (budget_checked_until IS NULL OR budget_checked_until < :periodEnd)")
    int markBudgetChecked(@Bind("pubkey") String pubkey, @Bind("periodEnd") long periodEnd);
}
