package app.caravel.db;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;

/** The DAOs over the app's database (SQLite or PostgreSQL); on-demand SQL objects, so each call takes and returns a connection. */
public record Database(Jdbi jdbi, TenantDao tenants, RelayDao relays, ActivityDao activity, InvoiceDao invoices,
                       MessageDao messages, SecretBox secrets) {
    private static final String RELAY_COLUMNS = String.join(", ",
            RowMappers.RelayMapper.COLUMNS.stream().map(column -> "r." + column).toList());

    /**
     * The hot read of the API, GET /relays for a tenant: whether the caller is a tenant, its relays and their
     * {@link #relayVersions versions}, in one statement (the tenant row joined to its relays: no row at all
     * when it is not a tenant, one row of nulls when it has no relay) with the fluent API (the on-demand
     * SqlObject path costs a handle and an extension per call). Empty when the pubkey is not a tenant.
     */
    public java.util.Optional<RelayList> relaysOfTenant(String pubkey) {
        RowMappers.RelayMapper relay = new RowMappers.RelayMapper();
        java.util.List<String> versions = new java.util.ArrayList<>();
        java.util.List<java.util.Optional<Relay>> rows = jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + RELAY_COLUMNS + ", r.version FROM tenants t LEFT JOIN relays r ON r.tenant = t.pubkey "
                                + "WHERE t.pubkey = :tenant ORDER BY r.created_at, r.id")
                .bind("tenant", pubkey)
                .map((rs, ctx) -> {
                    if (rs.getString("id") == null) {
                        return java.util.Optional.<Relay>empty();
                    }
                    Relay row = relay.map(rs, ctx);
                    versions.add(version(row.id(), rs.getLong("version")));
                    return java.util.Optional.of(row);
                })
                .list());
        if (rows.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new RelayList(rows.stream().flatMap(java.util.Optional::stream).toList(),
                String.join(" ", versions)));
    }

    /**
     * The (id, version) of each of a tenant's relays, in list order, as one string: it changes whenever a relay
     * of the tenant is added, removed or updated by anyone (the database raises a row's version on every
     * update: migrations.xml, 15-relay-versions). Reads the index and one column per relay, not the rows.
     */
    public String relayVersions(String pubkey) {
        java.util.List<String> versions = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, version FROM relays WHERE tenant = :tenant ORDER BY created_at, id")
                .bind("tenant", pubkey)
                .map((rs, ctx) -> version(rs.getString(1), rs.getLong(2)))
                .list());
        return String.join(" ", versions);
    }

    private static String version(String relayId, long version) {
        return relayId + ":" + version;
    }

    /** A tenant's relays in list order and the {@link #relayVersions versions} they were read at. */
    public record RelayList(java.util.List<Relay> relays, String versions) {
    }

    /** Whether {@code pubkey} is a tenant, without reading the row: GET /identity asks only that. */
    public boolean isTenant(String pubkey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM tenants WHERE pubkey = :pubkey").bind("pubkey", pubkey)
                .mapTo(Integer.class).findOne().isPresent());
    }

    /**
     * One tenant by pubkey, on a handle of its own with the fluent API: the lookup behind every authenticated
     * request, where the on-demand SqlObject path cost a third of the CPU (issue #16's profile).
     */
    public java.util.Optional<Tenant> tenant(String pubkey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tenants WHERE pubkey = :pubkey").bind("pubkey", pubkey)
                .map(new RowMappers.TenantMapper()).findOne());
    }

    /**
     * Runs one write that must survive a power loss the moment it returns (the in-flight marker, before a
     * payment leaves). SQLite runs with synchronous=NORMAL, whose WAL commits can be lost on power failure;
     * this commit alone is made with synchronous=FULL (about 230 µs more here, measured), which also makes
     * every earlier commit durable. Other engines commit durably already.
     */
    public <T> T durably(org.jdbi.v3.core.HandleCallback<T, RuntimeException> write) {
        return jdbi.withHandle(h -> {
            boolean sqlite = Dialect.of(h) == Dialect.SQLITE;
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

    /**
     * The DAOs over {@code jdbi}, which is first told never to render bound values into statement exceptions:
     * JDBI's default writes every argument (a wallet URL, a relay key) into the message that ends in the log.
     * The SQL text has only parameter names, so it stays. {@code secrets} seals and opens the secret columns
     * (tenants.nwc_url, relays.secret): rows hold them sealed, the code that uses one opens it.
     */
    public static Database on(Jdbi jdbi, SecretBox secrets) {
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(e ->
                e.getShortMessage() + " [statement: " + e.getStatementContext().getRawSql() + "]");
        return new Database(jdbi, jdbi.onDemand(TenantDao.class), jdbi.onDemand(RelayDao.class),
                jdbi.onDemand(ActivityDao.class), jdbi.onDemand(InvoiceDao.class), jdbi.onDemand(MessageDao.class), secrets);
    }
}
