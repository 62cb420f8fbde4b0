package app.caravel.infra;

import app.caravel.CaravelConfiguration;
import app.caravel.db.Database;
import app.caravel.jobs.JobQueue;
import app.caravel.jobs.SharedTransactionDataSource;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import app.caravel.jobs.JobStorage;
import net.sourceforge.argparse4j.inf.Namespace;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import java.time.Clock;
import java.time.Duration;

/** {@code java -jar caravel.jar resync-relays config.yml}: enqueue a sync of every relay for the running server. */
public class ResyncRelaysCommand extends ConfiguredCommand<CaravelConfiguration> {
    public ResyncRelaysCommand() {
        super("resync-relays", "Enqueue a zooid sync of every relay (the running server's workers do them)");
    }

    @Override
    protected void run(Bootstrap<CaravelConfiguration> bootstrap, Namespace namespace, CaravelConfiguration config)
            throws Exception {
        config.validate();
        ManagedDataSource dataSource = config.dataSourceFactory().build(new MetricRegistry(), "resync");
        try {
            StorageProvider storage = JobStorage.of(dataSource, new JacksonJsonMapper());
            Database db = Database.on(Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()),
                    app.caravel.db.SecretsKeys.resolve(config).box());
            JobQueue jobs = new JobQueue(new SharedTransactionDataSource(dataSource), new JobRequestScheduler(storage));
            int count = new RelayReconciler(db, jobs, Clock.systemUTC(), Duration.ofDays(1)).resyncAll();
            System.out.println("enqueued " + count + " relay syncs");
        } finally {
            dataSource.stop();
        }
    }
}
