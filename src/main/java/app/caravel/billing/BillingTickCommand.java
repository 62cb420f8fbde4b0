package app.caravel.billing;

import app.caravel.CaravelConfiguration;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import app.caravel.db.Database;
import app.caravel.jobs.JobStorage;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import java.time.Duration;
import java.time.Instant;
import net.sourceforge.argparse4j.inf.Namespace;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * {@code java -jar caravel.jar billing-tick config.yml}: a tick and a collection run, done by the running
 * server's workers; waits for them (at most 10 minutes) and prints the counts.
 */
public class BillingTickCommand extends ConfiguredCommand<CaravelConfiguration> {
    public BillingTickCommand() {
        super("billing-tick", "Run a billing tick and a collection run on the running server's workers, and wait for them");
    }

    @Override
    protected void run(Bootstrap<CaravelConfiguration> bootstrap, Namespace namespace, CaravelConfiguration config)
            throws InterruptedException {
        config.validate();
        ManagedDataSource dataSource = config.dataSourceFactory().build(new MetricRegistry(), "billing-tick");
        try {
            StorageProvider storage = JobStorage.of(dataSource, new JacksonJsonMapper());
            JobRequestScheduler scheduler = new JobRequestScheduler(storage);
            Database db = Database.on(Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()),
                    app.caravel.db.SecretsKeys.resolve(config).box());
            System.out.println(new BillingRun(db, scheduler, Duration.ofMinutes(10)).run(Instant.now().getEpochSecond()));
        } finally {
            try {
                dataSource.stop();
            } catch (Exception ignored) {
                // closing a pool on the way out
            }
        }
    }
}
