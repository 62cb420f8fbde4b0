package app.caravel.db;

import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.migrations.CloseableLiquibase;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import com.codahale.metrics.MetricRegistry;
import liquibase.Contexts;
import liquibase.LabelExpression;

/**
 * Applies migrations.xml (the same changelog `db migrate` uses) so that a fresh checkout, a test or a new
 * deployment never serves an old schema.
 */
public final class SchemaMigrator {
    public static final String CHANGELOG = "migrations.xml";

    private SchemaMigrator() {
    }

    /** Returns the number of change sets applied by this call. */
    public static int migrate(DataSourceFactory factory) throws Exception {
        // CloseableLiquibase stops its data source on close, so it gets a pool of its own.
        try (CloseableLiquibase liquibase = new CloseableLiquibaseWithClassPathMigrationsFile(
                factory.build(new MetricRegistry(), "migrations"), CHANGELOG)) {
            int pending = liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression()).size();
            liquibase.update(new Contexts(), new LabelExpression());
            return pending;
        }
    }
}
