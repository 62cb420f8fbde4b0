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

/** A real SQLite file in a temp folder, opened with the app's own pool settings and migrated. */
public final class TestDatabase implements AutoCloseable {
    private final CaravelConfiguration config;
    private final ManagedDataSource dataSource;
    private final Database database;
    private final int applied;

    public TestDatabase(Path dir) throws Exception {
        config = TestConfigs.load(Map.of("DATABASE_URL", "sqlite://" + dir.resolve("test.db")));
        applied = SchemaMigrator.migrate(config.dataSourceFactory());
        dataSource = config.dataSourceFactory().build(new MetricRegistry(), "test");
        database = Database.on(Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()));
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
                app.caravel.jobs.JobStorage.sqlite(shared, new org.jobrunr.utils.mapper.jackson.JacksonJsonMapper())));
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
