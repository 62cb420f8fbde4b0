package app.caravel.db;

import org.jdbi.v3.core.Jdbi;

/** The DAOs over the one SQLite file; on-demand SQL objects, so each call takes and returns a connection. */
public record Database(Jdbi jdbi, TenantDao tenants, RelayDao relays, ActivityDao activity, InvoiceDao invoices,
                       MessageDao messages) {

    public static Database on(Jdbi jdbi) {
        return new Database(jdbi, jdbi.onDemand(TenantDao.class), jdbi.onDemand(RelayDao.class),
                jdbi.onDemand(ActivityDao.class), jdbi.onDemand(InvoiceDao.class), jdbi.onDemand(MessageDao.class));
    }
}
