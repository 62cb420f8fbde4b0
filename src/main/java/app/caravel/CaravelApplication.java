package app.caravel;

import app.caravel.api.Access;
import app.caravel.api.Caller;
import app.caravel.api.CorsFilter;
import app.caravel.api.EnvelopeFilter;
import app.caravel.api.ErrorMapper;
import app.caravel.api.JsonErrorHandler;
import app.caravel.api.CallCommand;
import app.caravel.api.IdentityResource;
import app.caravel.api.InvoiceResource;
import app.caravel.api.Nip98AuthFilter;
import app.caravel.api.OpenApiResource;
import app.caravel.api.PlanResource;
import app.caravel.api.RelayResource;
import app.caravel.api.RelayService;
import app.caravel.api.ReplayCache;
import app.caravel.api.ReplaySettleFilter;
import app.caravel.api.RequestUrl;
import app.caravel.api.TenantResource;
import app.caravel.api.TenantRelayLists;
import app.caravel.api.TenantService;
import app.caravel.billing.BillingJobs;
import app.caravel.billing.BudgetWatch;
import app.caravel.billing.CheckBudgetsJob;
import app.caravel.billing.BillingRun;
import app.caravel.billing.BillingTickCommand;
import app.caravel.billing.BillingTickJob;
import app.caravel.billing.BillingTickServlet;
import app.caravel.billing.CollectJob;
import app.caravel.billing.Collector;
import app.caravel.billing.Invoicer;
import app.caravel.billing.RelayStanding;
import app.caravel.billing.WalletHealthCheck;
import app.caravel.billing.Wallets;
import app.caravel.config.ConfigException;
import app.caravel.nostr.NwcClient;
import app.caravel.nostr.NwcUri;
import app.caravel.infra.HealRelaysJob;
import app.caravel.infra.ReconcileRelaysJob;
import app.caravel.infra.ZooidRecovery;
import app.caravel.infra.RelayConfigs;
import app.caravel.infra.RelayMembers;
import app.caravel.infra.RelayReconciler;
import app.caravel.infra.RelaySync;
import app.caravel.infra.RelaySyncHandler;
import app.caravel.infra.ResyncRelaysCommand;
import app.caravel.infra.ResyncRelaysTask;
import app.caravel.infra.ZooidClient;
import app.caravel.infra.ZooidHealthCheck;
import app.caravel.infra.ZooidRelaySync;
import app.caravel.infra.ZooidSettings;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.RelayAddressPolicy;
import app.caravel.nostr.RelayPool;
import app.caravel.robot.DashboardLinks;
import app.caravel.robot.DmSender;
import app.caravel.robot.InboxRelays;
import app.caravel.robot.MessageSweeper;
import app.caravel.robot.MessagesHealthCheck;
import app.caravel.robot.SweepMessagesJob;
import app.caravel.robot.Notifier;
import app.caravel.robot.ProfilePublisher;
import app.caravel.robot.PublishProfileJob;
import app.caravel.robot.RobotHealthCheck;
import app.caravel.robot.RobotNotifier;
import app.caravel.robot.RobotSettings;
import io.dropwizard.lifecycle.Managed;
import app.caravel.jobs.JobQueue;
import app.caravel.jobs.SharedTransactionDataSource;
import app.caravel.nostr.Nip98;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import app.caravel.db.Database;
import app.caravel.db.KnownTenants;
import app.caravel.db.RotateSecretsKeyCommand;
import app.caravel.db.SecretsAtRest;
import app.caravel.db.SqliteCheckpointer;
import app.caravel.db.SqliteWriteGate;
import app.caravel.db.SecretsKeys;
import app.caravel.db.CommitMarks;
import app.caravel.db.ConnectionPool;
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
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.db.DataSourceFactory;
import net.sourceforge.argparse4j.inf.Namespace;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.migrations.MigrationsBundle;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Wires the service: one SQLite file (app tables and JobRunr's), the Jersey API, JobRunr's workers and
 * dashboard, and the admin port's health checks. Commands: `server config.yml`, `db migrate config.yml`.
 */
public class CaravelApplication extends Application<CaravelConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(CaravelApplication.class);

    /** NIP-98: how far created_at may be from our clock, either way. */
    static final long NIP98_WINDOW_SECONDS = 60;

    private final JobHandlers jobHandlers = new JobHandlers();
    private final Clock clock;
    private Database database;
    private CommitMarks commitMarks;
    private JobRunrService jobs;
    private JobQueue jobQueue;
    private RelayPool relayPool;

    public CaravelApplication() {
        this(Clock.systemUTC());
    }

    /** Tests move time through the clock; everything time-dependent reads this one. */
    public CaravelApplication(Clock clock) {
        this.clock = clock;
    }

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
        bootstrap.addCommand(new ResyncRelaysCommand());
        bootstrap.addCommand(new BillingTickCommand());
        bootstrap.addCommand(new RotateSecretsKeyCommand());
        bootstrap.addCommand(new CallCommand());
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public DataSourceFactory getDataSourceFactory(CaravelConfiguration configuration) {
                return configuration.dataSourceFactory();
            }
        });
    }

    /** `server` as Dropwizard's, but a configuration error ends start-up with its one-line message, no stack trace. */
    @Override
    protected void addDefaultCommands(Bootstrap<CaravelConfiguration> bootstrap) {
        bootstrap.addCommand(new ServerCommand<>(this) {
            @Override
            public void onError(Cli cli, Namespace namespace, Throwable e) {
                for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                    if (cause instanceof ConfigException config) {
                        cli.getStdErr().println("caravel cannot start: " + config.getMessage());
                        return;
                    }
                }
                super.onError(cli, namespace, e);
            }
        });
        bootstrap.addCommand(new CheckCommand<>(this));
    }

    @Override
    public void run(CaravelConfiguration config, Environment environment) throws Exception {
        SecretsKeys.Key secretsKey;
        try {
            config.validate();
            secretsKey = SecretsKeys.resolve(config);
            secretsKey.box();
        } catch (ConfigException e) {
            LOG.error("configuration: {}", e.getMessage());
            throw e;
        }
        bindConnectors(config);

        int applied = SchemaMigrator.migrate(config.dataSourceFactory());
        ManagedDataSource dataSource = ConnectionPool.build(config.dataSourceFactory(), environment.metrics(), "db");
        Jdbi jdbi = new JdbiFactory().build(environment, config.dataSourceFactory(), dataSource, "db");
        // JDBI's own template engine: Dropwizard's name-prepending wrapper made JDBI lex every statement's SQL
        // again on every execution instead of once (4 % of GET /relays' CPU)
        jdbi.setTemplateEngine(new DefinedAttributeTemplateEngine());
        int sealedNow;
        try {
            // never serve with secrets this key can't open; seal what was stored before sealing existed
            sealedNow = SecretsAtRest.prepare(jdbi, secretsKey);
        } catch (ConfigException e) {
            LOG.error("configuration: {}", e.getMessage());
            dataSource.stop();
            throw e;
        }
        database = Database.on(jdbi, secretsKey.box());
        commitMarks = ConnectionPool.commitMarks(config.dataSourceFactory(), environment.metrics(), "db");
        environment.lifecycle().manage(commitMarks);
        if (config.databaseUrl().sqlite()) {
            environment.lifecycle().manage(new SqliteCheckpointer(jdbi, (SqliteWriteGate) dataSource,
                    CaravelConfiguration.SQLITE_CHECKPOINT_EVERY));
        }
        LOG.info("secrets at rest: sealed with {}{}", secretsKey.source(),
                sealedNow > 0 ? "; " + sealedNow + " stored in plaintext were sealed now" : "");

        DashboardCredentials dashboardCredentials = DashboardCredentials.from(config);
        SharedTransactionDataSource jobDataSource = new SharedTransactionDataSource(dataSource);
        jobs = new JobRunrService(jobDataSource, jobHandlers, new JobRunrService.Settings(config.workers(),
                config.jobPollSeconds(), config.dashboardPort(), dashboardCredentials.user(),
                dashboardCredentials.password()));
        environment.lifecycle().manage(jobs);
        jobQueue = new JobQueue(jobDataSource, jobs.scheduler());
        RelayAddressPolicy relayPolicy = relayPolicy(config, environment);
        relayPool = new RelayPool(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                Duration.ofSeconds(5), RelayPool.Limits.DEFAULT, relayPolicy);
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                relayPool.close();
            }
        });
        Notifier notifier = registerRobot(config, environment);
        RelayMembers members = registerInfra(config, environment, notifier);
        Collector collector = registerBilling(config, environment, notifier);

        registerApi(config, environment, collector, relayPolicy, members);

        environment.healthChecks().register("database", new DatabaseHealthCheck(jdbi));
        environment.healthChecks().register("jobrunr", new JobServerHealthCheck(jobs.server()));
        for (Feature feature : Feature.of(config)) {
            if (!feature.enabled()) {
                environment.healthChecks().register(feature.name().replace(' ', '-'),
                        new DisabledFeatureHealthCheck(feature));
            }
        }

        PlainHealthCheck.wrapAll(environment.healthChecks());
        logStartup(config, applied, dashboardCredentials);
    }

    /**
     * Operator-configured relays are trusted; a tenant's relay URLs may not reach private addresses (unless
     * ALLOW_PRIVATE_RELAYS) nor, ever, this process's own ports, learnt once its connectors are bound.
     */
    private static RelayAddressPolicy relayPolicy(CaravelConfiguration config, Environment environment) {
        Set<String> trusted = new HashSet<>();
        trusted.addAll(config.robotOutboxRelays());
        trusted.addAll(config.robotIndexerRelays());
        trusted.addAll(config.robotMessagingRelays());
        config.nwcUrl().ifPresent(platform -> trusted.addAll(platform.relays()));
        RelayAddressPolicy policy = new RelayAddressPolicy(trusted, config.allowPrivateRelays());
        List.of(config.port(), config.adminPort(), config.dashboardPort()).forEach(policy::addOwnPort);
        environment.lifecycle().addServerLifecycleListener(server -> {
            for (Connector connector : server.getConnectors()) {
                if (connector instanceof ServerConnector bound) {
                    policy.addOwnPort(bound.getLocalPort());
                }
            }
        });
        return policy;
    }

    /** The robot when ROBOT_* are set: DMs and its profile; without it messages are stored, not sent. */
    private Notifier registerRobot(CaravelConfiguration config, Environment environment) {
        Optional<RobotSettings> robot = config.robotSecret().filter(secret -> !config.robotOutboxRelays().isEmpty()
                        && !config.robotIndexerRelays().isEmpty() && !config.robotMessagingRelays().isEmpty())
                .map(secret -> new RobotSettings(KeyPair.fromSecretHex(secret), config.robotName(),
                        config.robotDescription(), config.robotPicture(), config.robotOutboxRelays(),
                        config.robotIndexerRelays(), config.robotMessagingRelays()));
        robot.ifPresentOrElse(r -> {
            Duration timeout = Duration.ofSeconds(10);
            InboxRelays inboxes = new InboxRelays(relayPool, r.indexerRelays(), r.messagingRelays(), clock,
                    Duration.ofMinutes(10), timeout);
            jobHandlers.register(DmSender.class, new DmSender(database, r, inboxes, relayPool, clock, timeout));
            jobHandlers.register(ProfilePublisher.class, new ProfilePublisher(r, relayPool, clock, timeout));
            environment.healthChecks().register("robot", new RobotHealthCheck(r, relayPool));
            jobs.scheduler().scheduleRecurrently("robot-profile", "0 4 * * *", new PublishProfileJob());
            jobQueue.enqueue(new PublishProfileJob());
            jobHandlers.register(MessageSweeper.class, new MessageSweeper(database, jobQueue, clock));
            jobs.scheduler().scheduleRecurrently("sweep-messages", "*/10 * * * *", new SweepMessagesJob());
        }, () -> {
            jobs.scheduler().deleteRecurringJob("robot-profile");
            jobs.scheduler().deleteRecurringJob("sweep-messages");
        });
        environment.healthChecks().register("messages", new MessagesHealthCheck(database, clock, robot.isPresent()));
        return new RobotNotifier(jobQueue, clock, robot.isPresent(), new DashboardLinks(config.appUrl()));
    }

    /** zooid sync, its sweeps and recovery; returns the member lookup the API asks zooid through. */
    private RelayMembers registerInfra(CaravelConfiguration config, Environment environment, Notifier notifier) {
        Optional<ZooidSettings> settings = config.zooidApiUrl().flatMap(url -> config.zooidApiSecret().map(secret ->
                new ZooidSettings(url, KeyPair.fromSecretHex(secret), config.relayDomain(), livekit(config))));
        Optional<ZooidClient> zooid = settings.map(s -> new ZooidClient(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), s, new Nip98(clock, NIP98_WINDOW_SECONDS)));
        Optional<RelaySync> sync = settings.map(s -> {
            environment.healthChecks().register("zooid", new ZooidHealthCheck(zooid.get()));
            return new ZooidRelaySync(database, zooid.get(), new RelayConfigs(s, database.secrets()), clock, notifier);
        });
        jobHandlers.register(RelaySyncHandler.class, new RelaySyncHandler(sync));
        RelayReconciler reconciler = new RelayReconciler(database, jobQueue, clock,
                Duration.ofHours(config.resyncAfterHours()));
        jobHandlers.register(RelayReconciler.class, reconciler);
        environment.admin().addTask(new ResyncRelaysTask(reconciler));
        if (zooid.isPresent()) {
            jobHandlers.register(ZooidRecovery.class, new ZooidRecovery(database, jobQueue, zooid.get()));
            jobs.scheduler().scheduleRecurrently("reconcile-relays", "*/10 * * * *", new ReconcileRelaysJob());
            jobs.scheduler().scheduleRecurrently("heal-relays", Duration.ofSeconds(30), new HealRelaysJob());
        } else {
            jobs.scheduler().deleteRecurringJob("reconcile-relays");
            jobs.scheduler().deleteRecurringJob("heal-relays");
        }
        return new RelayMembers(zooid);
    }

    private static Optional<ZooidSettings.Livekit> livekit(CaravelConfiguration config) {
        return config.livekitUrl().flatMap(url -> config.livekitApiKey().flatMap(key -> config.livekitApiSecret()
                .map(secret -> new ZooidSettings.Livekit(url, key, secret))));
    }

    /** Invoicing and collection over NWC; with no NWC_URL no invoice is made (usage is kept for later). */
    private Collector registerBilling(CaravelConfiguration config, Environment environment, Notifier notifier) {
        Optional<NwcUri> platform = config.nwcUrl();
        NwcClient nwc = new NwcClient(relayPool, clock, Duration.ofSeconds(config.nwcTimeoutSeconds()),
                config.nwcMaxInFlight());
        Wallets wallets = new Wallets(nwc);
        RelayStanding standing = new RelayStanding(jobQueue, notifier, RelayStanding.hosts(config.relayDomain()));
        Collector collector = new Collector(database, platform, wallets, notifier, standing,
                Duration.ofDays(config.billingGraceDays()));
        Invoicer invoicer = new Invoicer(database, platform, wallets, notifier, clock);
        jobHandlers.register(BillingJobs.class, new BillingJobs(database, jobQueue, invoicer, collector, clock));
        jobs.scheduler().scheduleRecurrently("billing-tick", "0 * * * *", new BillingTickJob(null));
        jobs.scheduler().scheduleRecurrently("collect-invoices", "30 * * * *", new CollectJob(null));
        jobHandlers.register(BudgetWatch.class, new BudgetWatch(database, jobQueue, wallets, notifier, clock));
        if (platform.isPresent()) {
            // warnings about invoices only make sense where invoices are made
            jobs.scheduler().scheduleRecurrently("check-budgets", "45 * * * *", new CheckBudgetsJob(null));
        } else {
            jobs.scheduler().deleteRecurringJob("check-budgets");
        }
        environment.admin().addServlet("billing-tick", new BillingTickServlet(
                        new BillingRun(database, jobs.scheduler(), Duration.ofMinutes(10)), clock, config.billingAllowAt()))
                .addMapping("/tasks/billing-tick");
        platform.ifPresent(uri -> environment.healthChecks().register("wallet", new WalletHealthCheck(nwc, uri)));
        return collector;
    }

    private void registerApi(CaravelConfiguration config, Environment environment, Collector collector,
                             RelayAddressPolicy relayPolicy, RelayMembers members) {
        ObjectMapper mapper = environment.getObjectMapper();
        // strict bodies: unknown fields, trailing garbage and type coercions are all 400s
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);

        Access access = new Access(new KnownTenants(database));
        ReplayCache replays = new ReplayCache(database.jdbi(), clock, NIP98_WINDOW_SECONDS);
        // a state-changing request's signature is claimed inside its own write transaction
        database.jdbi().setTransactionHandler(replays.claimingIn(database.jdbi().getTransactionHandler()));
        Nip98AuthFilter auth = new Nip98AuthFilter(new Nip98(clock, NIP98_WINDOW_SECONDS, config.nip98SessionSeconds()),
                new RequestUrl(config.publicUrl()), replays, Set.copyOf(config.admins()));
        JerseyEnvironment jersey = environment.jersey();
        jersey.register(new ReplaySettleFilter(replays));
        jersey.register(new CorsFilter(config.allowOrigins()));
        jersey.register(new AuthDynamicFeature(auth));
        jersey.register(new AuthValueFactoryProvider.Binder<>(Caller.class));
        jersey.register(new ErrorMapper());
        jersey.register(new EnvelopeFilter());
        // Jetty's own answers (bad URIs, unknown methods, oversized headers) in the same envelope
        JsonErrorHandler jettyErrors = new JsonErrorHandler();
        environment.getApplicationContext().setErrorHandler(jettyErrors);
        environment.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(jettyErrors));
        jersey.register(new IdentityResource(access));
        TenantRelayLists relayLists = new TenantRelayLists(database, commitMarks, environment.getObjectMapper(), config.relayDomain());
        jersey.register(new TenantResource(database, access, new TenantService(database.jdbi(), jobQueue, clock, database.secrets()), relayPolicy,
                relayLists));
        jersey.register(new PlanResource());
        jersey.register(new RelayResource(database, access, new RelayService(database.jdbi(), jobQueue, clock,
                Duration.ofDays(config.billingGraceDays()), members, database.secrets()), config.relayDomain(), relayLists));
        jersey.register(new InvoiceResource(database, access, collector, clock));
        jersey.register(new OpenApiResource(config.publicUrl()));
    }

    /** HOST, PORT and ADMIN_PORT are typed settings; the connectors follow them so there is one source. */
    private static void bindConnectors(CaravelConfiguration config) {
        if (config.getServerFactory() instanceof DefaultServerFactory server) {
            if (server.getApplicationConnectors().get(0) instanceof HttpConnectorFactory api) {
                api.setBindHost(config.host());
                api.setPort(config.port());
            }
            if (server.getAdminConnectors().get(0) instanceof HttpConnectorFactory admin) {
                admin.setBindHost(config.adminHost());
                admin.setPort(config.adminPort());
            }
        }
    }

    private static void logStartup(CaravelConfiguration config, int applied, DashboardCredentials dashboard) {
        LOG.info("database: {} ({} migration change sets applied now)", config.databaseUrl(), applied);
        LOG.info("api: http://{}:{} (clients sign for PUBLIC_URL {})  admin: http://{}:{}/healthcheck", config.host(),
                config.port(), config.publicUrl(), config.adminHost(), config.adminPort());
        LOG.info("nip-98 session tokens: {}", config.nip98SessionSeconds() == 0
                ? "off (NIP98_SESSION_SECONDS=0): every request signed on its own"
                : "on, reusable for " + config.nip98SessionSeconds() + " s (a bearer token for that long)");
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

    public JobQueue jobQueue() {
        return jobQueue;
    }
}
