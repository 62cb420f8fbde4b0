package app.caravel.support;

import app.caravel.CaravelConfiguration;
import app.caravel.db.Database;
import app.caravel.db.SchemaMigrator;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.ManagedDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import java.nio.file.Path;
import java.util.Map;

/** A real database (an SQLite file in a temp folder, or a PostgreSQL database when the run is on that engine), opened with the app's own pool settings and migrated. */
public final class TestDatabase implements AutoCloseable {
    private final CaravelConfiguration config;
    private final ManagedDataSource dataSource;
    private final Database database;
    private final int applied;
    private final String url;

    /** A fresh database: a file under {@code dir}, or a new PostgreSQL database. */
    public TestDatabase(Path dir) throws Exception {
        this(TestEngine.freshDatabaseUrl(dir));
    }

    /** The database at {@code url} (DATABASE_URL syntax), migrated; another process may use it at the same time. */
    public TestDatabase(String url) throws Exception {
        this(url, true);
    }

    /** The database at {@code url}, already migrated by its owner (a child process opens the parent's database). */
    public static TestDatabase existing(String url) throws Exception {
        return new TestDatabase(url, false);
    }

    private TestDatabase(String url, boolean migrate) throws Exception {
        this.url = url;
        config = TestConfigs.load(TestEngine.databaseSettings(url));
        applied = migrate ? SchemaMigrator.migrate(config.dataSourceFactory()) : 0;
        dataSource = app.caravel.db.ConnectionPool.build(config.dataSourceFactory(), new MetricRegistry(), "test");
        // the key the app on this database uses too: SQLite's key file beside it, or the PostgreSQL test key
        database = Database.on(Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()),
                app.caravel.db.SecretsKeys.resolve(config).box());
    }

    /** Its DATABASE_URL, for a server process started on the same database. */
    public String url() {
        return url;
    }

    public Database db() {
        return database;
    }

    public Jdbi jdbi() {
        return database.jdbi();
    }

    public ManagedDataSource dataSource() {
        return dataSource;
    }

    /** JobRunr's storage on this file, and a queue that enqueues inside the caller's transaction. */
    public app.caravel.jobs.JobQueue jobQueue() {
        var shared = new app.caravel.jobs.SharedTransactionDataSource(dataSource);
        return new app.caravel.jobs.JobQueue(shared, new org.jobrunr.scheduling.JobRequestScheduler(
                app.caravel.jobs.JobStorage.of(shared, new org.jobrunr.utils.mapper.jackson.JacksonJsonMapper())));
    }

    /** The count {@code sql} selects, its {@code ?} placeholders bound to {@code args} in order. */
    public int count(String sql, Object... args) {
        return jdbi().withHandle(h -> {
            var query = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                query.bind(i, args[i]);
            }
            return query.mapTo(Integer.class).one();
        });
    }

    public CaravelConfiguration config() {
        return config;
    }

    public int appliedChangeSets() {
        return applied;
    }

    @Override
    public void close() throws Exception {
        dataSource.stop();
    }
}
