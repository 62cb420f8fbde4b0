package app.caravel.db;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;

/** The DAOs over the one SQLite file; on-demand SQL objects, so each call takes and returns a connection. */
public record Database(Jdbi jdbi, TenantDao tenants, RelayDao relays, ActivityDao activity, InvoiceDao invoices,
                       MessageDao messages) {

    /**
     * The hot read of the API, GET /relays for a tenant: whether the caller is a tenant and its relays, on
     * one connection with the fluent API (the on-demand SqlObject path costs a handle and an extension
     * per call). Empty when the pubkey is not a tenant.
     */
    public java.util.Optional<java.util.List<Relay>> relaysOfTenant(String pubkey) {
        return jdbi.withHandle(h -> {
            boolean tenant = h.createQuery("SELECT 1 FROM tenants WHERE pubkey = :pubkey").bind("pubkey", pubkey)
                    .mapTo(Integer.class).findOne().isPresent();
            if (!tenant) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(h.createQuery("SELECT * FROM relays WHERE tenant = :tenant ORDER BY created_at, id")
                    .bind("tenant", pubkey).map(new RowMappers.RelayMapper()).list());
        });
    }

    /**
     * Runs one write that must survive a power loss the moment it returns (the in-flight marker, before a
     * payment leaves). SQLite runs with synchronous=NORMAL, whose WAL commits can be lost on power failure;
     * this commit alone is made with synchronous=FULL (about 230 µs more here, measured), which also makes
     * every earlier commit durable. Other engines commit durably already.
     */
    public <T> T durably(org.jdbi.v3.core.HandleCallback<T, RuntimeException> write) {
        return jdbi.withHandle(h -> {
            boolean sqlite = isSqlite(h);
            if (sqlite) {
                h.execute("PRAGMA synchronous = FULL");
            }
            try {
                return write.withHandle(h);
            } finally {
                if (sqlite) {
                    h.execute("PRAGMA synchronous = NORMAL");
                }
            }
        });
    }

    private static boolean isSqlite(org.jdbi.v3.core.Handle handle) {
        try {
            return "SQLite".equals(handle.getConnection().getMetaData().getDatabaseProductName());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot tell the database engine", e);
        }
    }

    /**
     * The DAOs over {@code jdbi}, which is first told never to render bound values into statement exceptions:
     * JDBI's default writes every argument (a wallet URL, a relay key) into the message that ends in the log.
     * The SQL text has only parameter names, so it stays.
     */
    public static Database on(Jdbi jdbi) {
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(e ->
                e.getShortMessage() + " [statement: " + e.getStatementContext().getRawSql() + "]");
        return new Database(jdbi, jdbi.onDemand(TenantDao.class), jdbi.onDemand(RelayDao.class),
                jdbi.onDemand(ActivityDao.class), jdbi.onDemand(InvoiceDao.class), jdbi.onDemand(MessageDao.class));
    }
}
