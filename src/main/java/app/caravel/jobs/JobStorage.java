package app.caravel.jobs;

import app.caravel.db.Dialect;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.storage.sql.sqlite.SqLiteStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;

import javax.sql.DataSource;

/** JobRunr's tables in the app's own database (created on first use), SQLite or PostgreSQL. */
public final class JobStorage {
    private JobStorage() {
    }

    public static StorageProvider of(DataSource dataSource, JsonMapper json) {
        StorageProvider storage = switch (Dialect.of(dataSource)) {
            case SQLITE -> new SqLiteStorageProvider(dataSource);
            case POSTGRES -> new PostgresStorageProvider(dataSource);
        };
        storage.setJobMapper(new JobMapper(json));
        return storage;
    }
}
