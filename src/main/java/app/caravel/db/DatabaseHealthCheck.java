package app.caravel.db;

import com.codahale.metrics.health.HealthCheck;
import org.jdbi.v3.core.Jdbi;

/** A real query on an app table: proves the file is open, migrated and readable. */
public class DatabaseHealthCheck extends HealthCheck {
    private final Jdbi jdbi;

    public DatabaseHealthCheck(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    protected Result check() {
        long tenants = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM tenants").mapTo(Long.class).one());
        String journal = jdbi.withHandle(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
        return Result.healthy("%d tenants, journal_mode=%s", tenants, journal);
    }
}
