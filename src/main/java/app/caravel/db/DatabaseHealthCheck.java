package app.caravel.db;

import com.codahale.metrics.health.HealthCheck;
import org.jdbi.v3.core.Jdbi;

/** A real query on an app table: proves the database is reachable, migrated and readable. */
public class DatabaseHealthCheck extends HealthCheck {
    private final Jdbi jdbi;

    public DatabaseHealthCheck(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    protected Result check() {
        return jdbi.withHandle(h -> {
            long tenants = h.createQuery("SELECT count(*) FROM tenants").mapTo(Long.class).one();
            String engine = switch (Dialect.of(h)) {
                case SQLITE -> "SQLite, journal_mode=" + h.createQuery("PRAGMA journal_mode").mapTo(String.class).one();
                case POSTGRES -> "PostgreSQL " + h.createQuery("SHOW server_version").mapTo(String.class).one();
            };
            return Result.healthy("%d tenants, %s", tenants, engine);
        });
    }
}
