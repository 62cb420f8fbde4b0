package app.caravel.jobs;

import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.sqlite.SqLiteStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;

import javax.sql.DataSource;

/** JobRunr's tables in the app's SQLite file (created on first use). */
public final class JobStorage {
    private JobStorage() {
    }

    public static StorageProvider sqlite(DataSource dataSource, JsonMapper json) {
        StorageProvider storage = new SqLiteStorageProvider(dataSource);
        storage.setJobMapper(new JobMapper(json));
        return storage;
    }
}
