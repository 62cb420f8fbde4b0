package app.caravel.db;

import app.caravel.CaravelConfiguration;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;

import java.util.HashMap;
import java.util.Map;

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
     * Page cache of the one connection SQLite transactions run on (SqliteWriteGate), in KiB: it keeps its pages
     * from one transaction to the next, so it holds the B-tree paths every insert walks.
     */
    private static final int SQLITE_WRITER_CACHE_KIB = 8 * 1024;

    /** Connections for {@link PostgresCommitMarks}: it runs one short statement at a time for all callers. */
    private static final int POSTGRES_MARK_CONNECTIONS = 1;

    /**
     * Dropwizard's pool for {@code factory}, with these changes. tomcat-jdbc's statement facade is off: it wraps
     * every statement and result set in a reflective proxy, so each column read of a row went through it (37 %
     * of a JFR profile of GET /relays, though the profile inflates it: the bench showed no gain beyond its
     * noise); JDBI closes what it opens, and that misuse is what the facade guards against. On SQLite, prepared
     * statements are reused per connection (SQLite's prepare was a tenth of GET /relays' CPU; closing a result
     * set resets its statement, so a kept statement holds no snapshot; {@link StatementCacheWithPlainResults}
     * leaves result sets unwrapped) and transactions queue in
     * {@link SqliteWriteGate}, on a writer connection of their own.
     */
    public static ManagedDataSource build(DataSourceFactory factory, MetricRegistry metrics, String name) {
        if (!sqlite(factory)) {
            return tuned(factory, metrics, name);
        }
        return new SqliteWriteGate(tuned(factory, metrics, name), tuned(writerOf(factory), metrics, name + "-writer"),
                CaravelConfiguration.SQLITE_BUSY_TIMEOUT, metrics, name + "-writer");
    }

    /**
     * What tells the app's caches whether anything was committed since they last checked: on SQLite, its
     * {@code data_version} on a connection of its own; on PostgreSQL, its current snapshot on a connection of its
     * own. Start and stop it with the app.
     */
    public static CommitMarks commitMarks(DataSourceFactory factory, MetricRegistry metrics, String name) {
        if (!sqlite(factory)) {
            return new PostgresCommitMarks(smallPool(factory, POSTGRES_MARK_CONNECTIONS, Map.of())
                    .build(metrics, name + "-commit-marks"));
        }
        // it reads page 1 at most, so the smallest page cache
        return new SqliteCommitMarks(oneConnection(factory, 64).build(metrics, name + "-commit-marks"));
    }

    /** The same SQLite file as {@code readers}, one connection, a larger page cache. */
    static DataSourceFactory writerOf(DataSourceFactory readers) {
        return oneConnection(readers, SQLITE_WRITER_CACHE_KIB);
    }

    /** A pool of one connection to the same SQLite file as {@code readers}, with a page cache of {@code cacheKib}. */
    private static DataSourceFactory oneConnection(DataSourceFactory readers, int cacheKib) {
        return smallPool(readers, 1, Map.of("cache_size", String.valueOf(-cacheKib)));
    }

    /** A pool of up to {@code size} connections to the same database as {@code readers}, with these properties changed. */
    private static DataSourceFactory smallPool(DataSourceFactory readers, int size, Map<String, String> changed) {
        DataSourceFactory pool = new DataSourceFactory();
        pool.setDriverClass(readers.getDriverClass());
        pool.setUrl(readers.getUrl());
        pool.setUser(readers.getUser());
        pool.setPassword(readers.getPassword());
        Map<String, String> properties = new HashMap<>(readers.getProperties());
        properties.putAll(changed);
        pool.setProperties(properties);
        pool.setMinSize(1);
        pool.setInitialSize(1);
        pool.setMaxSize(size);
        readers.getValidationQuery().ifPresent(pool::setValidationQuery);
        return pool;
    }

    private static ManagedDataSource tuned(DataSourceFactory factory, MetricRegistry metrics, String name) {
        ManagedDataSource pool = factory.build(metrics, name);
        if (pool instanceof DataSourceProxy tomcat) {
            tomcat.getPoolProperties().setUseStatementFacade(false);
            if (sqlite(factory)) { // before the first connection makes the pool
                tomcat.getPoolProperties().setJdbcInterceptors(StatementCacheWithPlainResults.class.getName()
                        + "(prepared=true,callable=false,max=" + SQLITE_CACHED_STATEMENTS + ")");
            }
        }
        return pool;
    }

    private static boolean sqlite(DataSourceFactory factory) {
        return "org.sqlite.JDBC".equals(factory.getDriverClass());
    }
}
