package app.caravel.billing;

import app.caravel.CaravelConfiguration;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import app.caravel.jobs.JobStorage;
import net.sourceforge.argparse4j.inf.Namespace;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/** {@code java -jar caravel.jar billing-tick config.yml}: enqueue a tick and a collection run for the server. */
public class BillingTickCommand extends ConfiguredCommand<CaravelConfiguration> {
    public BillingTickCommand() {
        super("billing-tick", "Enqueue a billing tick and a collection run (the running server's workers do them)");
    }

    @Override
    protected void run(Bootstrap<CaravelConfiguration> bootstrap, Namespace namespace, CaravelConfiguration config) {
        config.validate();
        ManagedDataSource dataSource = config.dataSourceFactory().build(new MetricRegistry(), "billing-tick");
        try {
            StorageProvider storage = JobStorage.sqlite(dataSource, new JacksonJsonMapper());
            JobRequestScheduler scheduler = new JobRequestScheduler(storage);
            System.out.println("enqueued billing tick " + scheduler.enqueue(new BillingTickJob()).asUUID()
                    + " and collection " + scheduler.enqueue(new CollectJob()).asUUID());
        } finally {
            try {
                dataSource.stop();
            } catch (Exception ignored) {
                // closing a pool on the way out
            }
        }
    }
}
