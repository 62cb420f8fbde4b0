package app.caravel.billing;

import app.caravel.db.ActivityDao;
import app.caravel.db.InvoiceDao;
import app.caravel.db.Tenant;
import app.caravel.db.TenantDao;
import org.jdbi.v3.core.Handle;


/**
 * Where a tenant's monthly cycle starts (SPEC §3): set when it gets its first active paid relay, reset
 * when it had none and gets one again. Chosen where the spec is silent: the reset is skipped while paid
 * usage since the last invoiced period is still unbilled, so that usage stays in the current cycle and is
 * invoiced instead of being skipped over by the new anchor.
 */
public final class BillingAnchor {
    private BillingAnchor() {
    }

    /** Called, in the activation's transaction, when a paid relay goes live and no other one is. */
    public static void onFirstPaidRelay(Handle handle, String tenant, long now) {
        TenantDao tenants = handle.attach(TenantDao.class);
        Tenant row = tenants.find(tenant).orElseThrow();
        if (row.billingAnchor() == null || !hasUnbilledUsage(handle, row, now)) {
            tenants.setBillingAnchor(tenant, now);
        }
    }

    private static boolean hasUnbilledUsage(Handle handle, Tenant tenant, long now) {
        Long lastEnd = handle.attach(InvoiceDao.class).lastPeriodEnd(tenant.pubkey());
        long from = lastEnd == null ? tenant.billingAnchor() : Math.max(lastEnd, tenant.billingAnchor());
        if (from >= now) {
            return false;
        }
        Period window = new Period(from, from + ((now - from + 3599) / 3600) * 3600);
        return Usage.ofRelays(handle.attach(ActivityDao.class).relayHistory(tenant.pubkey(), now), window).stream()
                .anyMatch(c -> c.hours() > 0);
    }
}
