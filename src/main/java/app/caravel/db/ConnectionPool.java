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
     * Dropwizard's pool for {@code factory}, with two changes. tomcat-jdbc's statement facade is off: it wraps
     * every statement and result set in a reflective proxy, so each column read of a row went through it (37 %
     * of a JFR profile of GET /relays, though the profile inflates it: the bench showed no gain beyond its
     * noise); JDBI closes what it opens, and that misuse is what the facade guards against. On SQLite, transactions queue in {@link SqliteWriteGate}.
     */
    public static ManagedDataSource build(DataSourceFactory factory, MetricRegistry metrics, String name) {
        ManagedDataSource pool = factory.build(metrics, name);
        if (pool instanceof DataSourceProxy tomcat) {
            tomcat.getPoolProperties().setUseStatementFacade(false);
        }
        return SqliteWriteGate.around(pool, CaravelConfiguration.SQLITE_BUSY_TIMEOUT);
    }
}
