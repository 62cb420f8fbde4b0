package app.caravel.db;

import app.caravel.CaravelConfiguration;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;

/** The service's connection pool, as the server and the tests open it. */
public final class ConnectionPool {
    private ConnectionPool() {
    }

    /**
     * SQLite parses each statement anew unless the statement object is kept: up to this many prepared
     * statements stay open across the pool, one set per connection (PostgreSQL's driver keeps its own).
     */
    private static final int SQLITE_CACHED_STATEMENTS = 1_000;

    /**
     * Dropwizard's pool for {@code factory}, with these changes. tomcat-jdbc's statement facade is off: it wraps
     * every statement and result set in a reflective proxy, so each column read of a row went through it (37 %
     * of a JFR profile of GET /relays, though the profile inflates it: the bench showed no gain beyond its
     * noise); JDBI closes what it opens, and that misuse is what the facade guards against. On SQLite, prepared
     * statements are reused per connection (SQLite's prepare was a tenth of GET /relays' CPU; closing a result
     * set resets its statement, so a kept statement holds no snapshot) and transactions queue in
     * {@link SqliteWriteGate}.
     */
    public static ManagedDataSource build(DataSourceFactory factory, MetricRegistry metrics, String name) {
        ManagedDataSource pool = factory.build(metrics, name);
        if (pool instanceof DataSourceProxy tomcat) {
            tomcat.getPoolProperties().setUseStatementFacade(false);
            if ("org.sqlite.JDBC".equals(factory.getDriverClass())) { // before the first connection makes the pool
                tomcat.getPoolProperties().setJdbcInterceptors("StatementCache(prepared=true,callable=false,max="
                        + SQLITE_CACHED_STATEMENTS + ")");
            }
        }
        return SqliteWriteGate.around(pool, CaravelConfiguration.SQLITE_BUSY_TIMEOUT);
    }
}
