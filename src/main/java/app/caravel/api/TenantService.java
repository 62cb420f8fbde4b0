package app.caravel.api;

import app.caravel.db.Activity;
import app.caravel.db.Conflicts;
import app.caravel.db.ActivityDao;
import app.caravel.db.Tenant;
import app.caravel.db.TenantDao;
import app.caravel.billing.CollectInvoiceJob;
import app.caravel.db.Invoice;
import app.caravel.db.SecretBox;
import app.caravel.db.InvoiceDao;
import app.caravel.jobs.JobQueue;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;

/** Tenant writes: each row change and its activity entry commit together. */
public final class TenantService {
    private final Jdbi jdbi;
    private final JobQueue jobs;
    private final Clock clock;
    private final SecretBox secrets;

    /** {@code secrets} seals the wallet URL before it is stored. */
    public TenantService(Jdbi jdbi, JobQueue jobs, Clock clock, SecretBox secrets) {
        this.secrets = secrets;
        this.jdbi = jdbi;
        this.jobs = jobs;
        this.clock = clock;
    }

    public record Created(Tenant tenant, boolean isNew) {
    }

    /** Idempotent: a second call (or a racing one) returns the existing tenant. */
    public Created create(String pubkey, String nwcUrl) {
        try {
            return jdbi.inTransaction(handle -> {
                TenantDao tenants = handle.attach(TenantDao.class);
                var existing = tenants.find(pubkey);
                if (existing.isPresent()) {
                    return new Created(existing.get(), false);
                }
                long now = clock.instant().getEpochSecond();
                Tenant tenant = new Tenant(pubkey, secrets.seal(nwcUrl), null, now, null, Tenant.ACTIVE);
                tenants.insert(tenant);
                handle.attach(ActivityDao.class).insert(Activity.ofTenant("create_tenant", tenant, now));
                return new Created(tenant, true);
            });
        } catch (RuntimeException e) {
            if (Conflicts.isUniqueViolation(e)) {
                return new Created(jdbi.onDemand(TenantDao.class).find(pubkey).orElseThrow(), false);
            }
            throw e;
        }
    }

    /**
     * Sets (or with null clears) the tenant's wallet; a new wallet clears the last payment error and has the
     * tenant's pending invoices collected at once (jobs committed with the wallet), not at the next hourly run.
     */
    public Tenant setWallet(String pubkey, String nwcUrl) {
        return jdbi.inTransaction(handle -> {
            TenantDao tenants = handle.attach(TenantDao.class);
            tenants.setNwcUrl(pubkey, secrets.seal(nwcUrl));
            Tenant tenant = tenants.find(pubkey).orElseThrow(() -> ApiException.notFound("tenant not found"));
            handle.attach(ActivityDao.class).insert(
                    Activity.ofTenant("update_tenant", tenant, clock.instant().getEpochSecond()));
            if (nwcUrl != null) {
                for (Invoice pending : handle.attach(InvoiceDao.class).pendingFor(pubkey)) {
                    jobs.enqueue(handle, new CollectInvoiceJob(pending.id(), null));
                }
            }
            return tenant;
        });
    }
}
