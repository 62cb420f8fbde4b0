package app.caravel;

import app.caravel.config.ConfigException;
import app.caravel.db.Database;
import app.caravel.db.DatabaseHealthCheck;
import app.caravel.db.SchemaMigrator;
import app.caravel.jobs.JobHandlers;
import app.caravel.jobs.JobRunrService;
import app.caravel.jobs.JobServerHealthCheck;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.migrations.MigrationsBundle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the service: one SQLite file (app tables and JobRunr's), the Jersey API, JobRunr's workers and
 * dashboard, and the admin port's health checks. Commands: `server config.yml`, `db migrate config.yml`.
 */
public class CaravelApplication extends Application<CaravelConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(CaravelApplication.class);

    private final JobHandlers jobHandlers = new JobHandlers();
    private Database database;
    private JobRunrService jobs;

    public static void main(String[] args) throws Exception {
        new CaravelApplication().run(args);
    }

    @Override
    public String getName() {
        return "caravel";
    }

    @Override
    public void initialize(Bootstrap<CaravelConfiguration> bootstrap) {
        // Non-strict: an unset variable takes the default written in config.yml.
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public DataSourceFactory getDataSourceFactory(CaravelConfiguration configuration) {
                return configuration.dataSourceFactory();
            }
        });
    }

    @Override
    public void run(CaravelConfiguration config, Environment environment) throws Exception {
        try {
            config.validate();
        } catch (ConfigException e) {
            LOG.error("configuration: {}", e.getMessage());
            throw e;
        }
        bindConnectors(config);

        int applied = SchemaMigrator.migrate(config.dataSourceFactory());
        ManagedDataSource dataSource = config.dataSourceFactory().build(environment.metrics(), "sqlite");
        Jdbi jdbi = new JdbiFactory().build(environment, config.dataSourceFactory(), dataSource, "sqlite");
        database = Database.on(jdbi);

        DashboardCredentials dashboardCredentials = DashboardCredentials.from(config);
        jobs = new JobRunrService(dataSource, jobHandlers, new JobRunrService.Settings(config.workers(),
                config.jobPollSeconds(), config.dashboardPort(), dashboardCredentials.user(),
                dashboardCredentials.password()));
        environment.lifecycle().manage(jobs);

        environment.healthChecks().register("database", new DatabaseHealthCheck(jdbi));
        environment.healthChecks().register("jobrunr", new JobServerHealthCheck(jobs.server()));
        for (Feature feature : Feature.of(config)) {
            if (!feature.enabled()) {
                environment.healthChecks().register(feature.name().replace(' ', '-'),
                        new DisabledFeatureHealthCheck(feature));
            }
        }

        logStartup(config, applied, dashboardCredentials);
    }

    /** HOST, PORT and ADMIN_PORT are typed settings; the connectors follow them so there is one source. */
    private static void bindConnectors(CaravelConfiguration config) {
        if (config.getServerFactory() instanceof DefaultServerFactory server) {
            if (server.getApplicationConnectors().get(0) instanceof HttpConnectorFactory api) {
                api.setBindHost(config.host());
                api.setPort(config.port());
            }
            if (server.getAdminConnectors().get(0) instanceof HttpConnectorFactory admin) {
                admin.setBindHost(config.host());
                admin.setPort(config.adminPort());
            }
        }
    }

    private static void logStartup(CaravelConfiguration config, int applied, DashboardCredentials dashboard) {
        LOG.info("database: {} ({} migration change sets applied now)", config.databasePath(), applied);
        LOG.info("api: http://{}:{}  admin: http://{}:{}/healthcheck", config.host(), config.port(), config.host(),
                config.adminPort());
        LOG.info("admins: {}", config.admins().isEmpty() ? "none (ADMINS not set)" : config.admins().size());
        LOG.info("relay domain: {}", config.relayDomain().isEmpty() ? "none (RELAY_DOMAIN not set)" : config.relayDomain());
        for (Feature feature : Feature.of(config)) {
            LOG.info("{}", feature.describe());
        }
        if (config.dashboardPort() != 0) {
            if (dashboard.generated()) {
                LOG.warn("jobrunr dashboard: http://localhost:{} user '{}' password '{}' (generated for this run; "
                        + "set DASHBOARD_PASSWORD to choose one)", config.dashboardPort(), dashboard.user(),
                        dashboard.password());
            } else {
                LOG.info("jobrunr dashboard: http://localhost:{} user '{}' (password from DASHBOARD_PASSWORD)",
                        config.dashboardPort(), dashboard.user());
            }
        }
    }

    public JobHandlers jobHandlers() {
        return jobHandlers;
    }

    public Database database() {
        return database;
    }

    public JobRunrService jobs() {
        return jobs;
    }
}
