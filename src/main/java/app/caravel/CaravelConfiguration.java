package app.caravel;

import app.caravel.config.ConfigException;
import app.caravel.config.ConfigValues;
import app.caravel.config.DatabaseUrl;
import app.caravel.db.SqliteCheckpointer;
import app.caravel.nostr.NwcUri;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration. config.yml maps every variable of SPEC §2 onto a string property of the same
 * name (lower case); the typed accessors below parse those strings and name the variable when a value is
 * malformed. {@link #validate()} runs them all at start-up so a bad value stops the service at once.
 */
public class CaravelConfiguration extends Configuration {
    /** How long a SQLite transaction waits for the write lock (SQLite's busy timeout, and the write gate's). */
    public static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(30);
    /** How often the WAL is copied back into the SQLite file, beside the writers (SqliteCheckpointer). */
    public static final Duration SQLITE_CHECKPOINT_EVERY = Duration.ofMillis(200);

    @JsonProperty("database_url") private String databaseUrl = "sqlite://data/caravel.db";
    @JsonProperty("project_dir") private String projectDir;
    @JsonProperty("host") private String host = "127.0.0.1";
    @JsonProperty("port") private String port = "3000";
    @JsonProperty("admin_port") private String adminPort = "8081";
    @JsonProperty("admin_host") private String adminHost = "127.0.0.1";
    @JsonProperty("allow_private_relays") private String allowPrivateRelays = "false";
    @JsonProperty("admins") private String admins;
    @JsonProperty("allow_origins") private String allowOrigins;
    @JsonProperty("public_url") private String publicUrl;
    @JsonProperty("nip98_session_seconds") private String nip98SessionSeconds = "0";
    @JsonProperty("zooid_api_url") private String zooidApiUrl;
    @JsonProperty("zooid_api_secret") private String zooidApiSecret;
    @JsonProperty("relay_domain") private String relayDomain;
    @JsonProperty("livekit_url") private String livekitUrl;
    @JsonProperty("livekit_api_key") private String livekitApiKey;
    @JsonProperty("livekit_api_secret") private String livekitApiSecret;
    @JsonProperty("nwc_url") private String nwcUrl;
    @JsonProperty("robot_secret") private String robotSecret;
    @JsonProperty("secrets_key") private String secretsKey;
    @JsonProperty("app_url") private String appUrl;
    @JsonProperty("robot_name") private String robotName;
    @JsonProperty("robot_description") private String robotDescription;
    @JsonProperty("robot_picture") private String robotPicture;
    @JsonProperty("robot_outbox_relays") private String robotOutboxRelays;
    @JsonProperty("robot_indexer_relays") private String robotIndexerRelays;
    @JsonProperty("robot_messaging_relays") private String robotMessagingRelays;
    @JsonProperty("dashboard_port") private String dashboardPort = "8000";
    @JsonProperty("dashboard_user") private String dashboardUser;
    @JsonProperty("dashboard_password") private String dashboardPassword;
    @JsonProperty("workers") private String workers = "32";
    @JsonProperty("nwc_timeout_seconds") private String nwcTimeoutSeconds = "30";
    @JsonProperty("nwc_max_in_flight") private String nwcMaxInFlight = "64";
    @JsonProperty("job_poll_seconds") private String jobPollSeconds = "5";
    @JsonProperty("billing_grace_days") private String billingGraceDays = "7";
    @JsonProperty("billing_allow_at") private String billingAllowAt = "false";
    @JsonProperty("database_pool_size") private String databasePoolSize = "";
    @JsonProperty("resync_after_hours") private String resyncAfterHours = "24";

    @JsonIgnore private DataSourceFactory dataSourceFactory;

    /** Parses every value once, so that a malformed one stops start-up with its variable's name. */
    public void validate() {
        databaseUrl();
        databasePoolSize();
        port();
        adminPort();
        admins();
        allowOrigins();
        publicUrl();
        nip98SessionSeconds();
        zooidApiUrl();
        zooidApiSecret();
        livekitUrl();
        nwcUrl();
        robotSecret();
        secretsKey();
        appUrl();
        robotOutboxRelays();
        robotIndexerRelays();
        robotMessagingRelays();
        dashboardPort();
        workers();
        jobPollSeconds();
        billingGraceDays();
        billingAllowAt();
        allowPrivateRelays();
        nwcTimeoutSeconds();
        nwcMaxInFlight();
        databasePoolSize();
        resyncAfterHours();
    }

    @JsonIgnore
    public Path projectDir() {
        return ConfigValues.optional(projectDir).map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.dir")))
                .toAbsolutePath();
    }

    @JsonIgnore
    public DatabaseUrl databaseUrl() {
        return DatabaseUrl.parse(databaseUrl, projectDir());
    }

    /** The SQLite file; only for an SQLite DATABASE_URL. */
    @JsonIgnore
    public Path databasePath() {
        return databaseUrl().sqliteFile().orElseThrow(() -> new ConfigException("DATABASE_URL", "is not an SQLite URL"));
    }

    @JsonIgnore
    public String host() {
        return ConfigValues.optional(host).orElse("127.0.0.1");
    }

    @JsonIgnore
    public int port() {
        return ConfigValues.integer("PORT", port, 0, 65535, 3000);
    }

    @JsonIgnore
    public int adminPort() {
        return ConfigValues.integer("ADMIN_PORT", adminPort, 0, 65535, 8081);
    }

    /** Where the admin port (tasks, health details, metrics) listens: loopback unless the operator says otherwise. */
    @JsonIgnore
    public String adminHost() {
        return ConfigValues.optional(adminHost).orElse("127.0.0.1");
    }

    /** How long a NIP-47 call waits for the wallet's answer. */
    @JsonIgnore
    public int nwcTimeoutSeconds() {
        return ConfigValues.integer("NWC_TIMEOUT_SECONDS", nwcTimeoutSeconds, 1, 300, 30);
    }

    /** At most this many NIP-47 calls wait on one wallet relay at a time (the rest queue): a relay is not flooded. */
    @JsonIgnore
    public int nwcMaxInFlight() {
        return ConfigValues.integer("NWC_MAX_IN_FLIGHT", nwcMaxInFlight, 1, 10_000, 64);
    }

    /**
     * Whether tenant-supplied relay URLs (NWC URIs, relay lists) may point at loopback, private or link-local
     * addresses: off in production, on for local development and the tests' loopback doubles.
     */
    @JsonIgnore
    public boolean allowPrivateRelays() {
        return ConfigValues.bool("ALLOW_PRIVATE_RELAYS", allowPrivateRelays, false);
    }

    @JsonIgnore
    public List<String> admins() {
        return ConfigValues.pubkeyList("ADMINS", admins);
    }

    @JsonIgnore
    public List<String> allowOrigins() {
        return ConfigValues.items(allowOrigins);
    }

    /**
     * The base URL clients reach the API at (behind a proxy, the proxy's); the one source of the URL a NIP-98
     * {@code u} tag must name. Defaults to http://HOST:PORT.
     */
    @JsonIgnore
    public String publicUrl() {
        return ConfigValues.httpUrl("PUBLIC_URL", publicUrl).orElseGet(() -> "http://" + host() + ":" + port());
    }

    /** How long a session-style NIP-98 token is accepted (SPEC §4.1); 0 = session tokens off. */
    @JsonIgnore
    public int nip98SessionSeconds() {
        return ConfigValues.integer("NIP98_SESSION_SECONDS", nip98SessionSeconds, 0, 86_400, 0);
    }

    @JsonIgnore
    public Optional<String> zooidApiUrl() {
        return ConfigValues.httpUrl("ZOOID_API_URL", zooidApiUrl);
    }

    @JsonIgnore
    public Optional<String> zooidApiSecret() {
        return ConfigValues.hexKey("ZOOID_API_SECRET", zooidApiSecret);
    }

    @JsonIgnore
    public String relayDomain() {
        return ConfigValues.optional(relayDomain).orElse("");
    }

    @JsonIgnore
    public Optional<String> livekitUrl() {
        return ConfigValues.optional(livekitUrl);
    }

    @JsonIgnore
    public Optional<String> livekitApiKey() {
        return ConfigValues.optional(livekitApiKey);
    }

    @JsonIgnore
    public Optional<String> livekitApiSecret() {
        return ConfigValues.optional(livekitApiSecret);
    }

    @JsonIgnore
    public Optional<NwcUri> nwcUrl() {
        Optional<String> value = ConfigValues.optional(nwcUrl);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(NwcUri.parse(value.get()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("NWC_URL", "is not a valid NWC URL (" + e.getMessage() + ")");
        }
    }

    @JsonIgnore
    public Optional<String> robotSecret() {
        return ConfigValues.hexKey("ROBOT_SECRET", robotSecret);
    }

    /** The tenant dashboard's URL, for links in the DMs that ask a tenant to act; empty: no links. */
    @JsonIgnore
    public Optional<String> appUrl() {
        return ConfigValues.httpUrl("APP_URL", appUrl);
    }

    /** SECRETS_KEY as set; where it comes from when unset is decided at start-up (db.SecretsKeys). */
    @JsonIgnore
    public Optional<String> secretsKey() {
        return ConfigValues.hexKey("SECRETS_KEY", secretsKey);
    }

    @JsonIgnore
    public String robotName() {
        return ConfigValues.optional(robotName).orElse("Caravel");
    }

    @JsonIgnore
    public String robotDescription() {
        return ConfigValues.optional(robotDescription).orElse("");
    }

    @JsonIgnore
    public String robotPicture() {
        return ConfigValues.optional(robotPicture).orElse("");
    }

    @JsonIgnore
    public List<String> robotOutboxRelays() {
        return ConfigValues.relayList("ROBOT_OUTBOX_RELAYS", robotOutboxRelays);
    }

    @JsonIgnore
    public List<String> robotIndexerRelays() {
        return ConfigValues.relayList("ROBOT_INDEXER_RELAYS", robotIndexerRelays);
    }

    @JsonIgnore
    public List<String> robotMessagingRelays() {
        return ConfigValues.relayList("ROBOT_MESSAGING_RELAYS", robotMessagingRelays);
    }

    /** 0 turns the dashboard off. */
    @JsonIgnore
    public int dashboardPort() {
        return ConfigValues.integer("DASHBOARD_PORT", dashboardPort, 0, 65535, 8000);
    }

    @JsonIgnore
    public Optional<String> dashboardUser() {
        return ConfigValues.optional(dashboardUser);
    }

    @JsonIgnore
    public Optional<String> dashboardPassword() {
        return ConfigValues.optional(dashboardPassword);
    }

    /**
     * JobRunr worker threads. Billing and sync jobs mostly wait on wallets and zooid, so many more threads than
     * cores: 32 keeps about 30 wallet calls in flight (≥ 100 calls/s at 250 ms a call) on 2 cores.
     */
    @JsonIgnore
    public int workers() {
        return ConfigValues.integer("WORKERS", workers, 1, 256, 32);
    }

    /** JobRunr's poll interval; never below 5 s so the shared SQLite file isn't hammered. */
    @JsonIgnore
    public int jobPollSeconds() {
        return ConfigValues.integer("JOB_POLL_SECONDS", jobPollSeconds, 5, 3600, 5);
    }

    @JsonIgnore
    public int billingGraceDays() {
        return ConfigValues.integer("BILLING_GRACE_DAYS", billingGraceDays, 0, 365, 7);
    }

    @JsonIgnore
    public boolean billingAllowAt() {
        return ConfigValues.bool("BILLING_ALLOW_AT", billingAllowAt, false);
    }

    /** The reconcile sweep re-pushes a relay whose config zooid has not confirmed for this long. */
    @JsonIgnore
    public int resyncAfterHours() {
        return ConfigValues.integer("RESYNC_AFTER_HOURS", resyncAfterHours, 1, 24 * 365, 24);
    }

    /**
     * Connections in the pool the API and JobRunr share. SQLite runs one writer at a time whatever the pool,
     * so 16 covers readers; PostgreSQL defaults to 40 per process: the 32 workers each hold one while a job
     * writes, plus the API's requests (two processes stay well under PostgreSQL's default 100).
     */
    @JsonIgnore
    public int databasePoolSize() {
        return ConfigValues.integer("DATABASE_POOL_SIZE", databasePoolSize, 1, 256, databaseUrl().sqlite() ? 16 : 40);
    }

    /**
     * The pool for the database shared by the app and JobRunr. For SQLite, WAL lets readers run beside the
     * writer; IMMEDIATE transactions take the write lock at BEGIN so two writers queue on the busy timeout
     * instead of failing with SQLITE_BUSY when one upgrades a read lock.
     */
    @JsonIgnore
    public synchronized DataSourceFactory dataSourceFactory() {
        if (dataSourceFactory == null) {
            DatabaseUrl url = databaseUrl();
            DataSourceFactory factory = new DataSourceFactory();
            factory.setUrl(url.jdbcUrl());
            if (url.sqlite()) {
                createParentDirectory(databasePath());
                factory.setDriverClass("org.sqlite.JDBC");
                factory.setProperties(Map.of(
                        "journal_mode", "WAL",
                        "busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT.toMillis()),
                        "transaction_mode", "IMMEDIATE",
                        "foreign_keys", "true",
                        "synchronous", "NORMAL",
                        // no memory map: a file that grows under inserts made every connection remap it, and
                        // the munmap of the old map (a TLB shootdown) cost the write lock more than read() saves
                        "mmap_size", "0",
                        // checkpoints run beside the writers (SqliteCheckpointer); this is the backstop
                        "wal_autocheckpoint", String.valueOf(SqliteCheckpointer.AUTOCHECKPOINT_PAGES),
                        // 512 KiB of page cache per connection instead of 2 MiB: 16 connections kept 32 MiB of
                        // copies of pages the OS caches anyway (resident 331 -> 293 MiB after bench-load)
                        "cache_size", "-512"));
                factory.setMinSize(1);
                factory.setInitialSize(1);
            } else {
                factory.setDriverClass("org.postgresql.Driver");
                url.user().ifPresent(factory::setUser);
                url.password().ifPresent(factory::setPassword);
                factory.setProperties(Map.of("ApplicationName", "caravel"));
                factory.setMinSize(2);
                factory.setInitialSize(2);
            }
            factory.setMaxSize(databasePoolSize());
            factory.setValidationQuery("SELECT 1");
            dataSourceFactory = factory;
        }
        return dataSourceFactory;
    }

    /** SQLite creates the database file but not its folder (data/ on a fresh clone). */
    private static void createParentDirectory(Path file) {
        try {
            java.nio.file.Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new ConfigException("DATABASE_URL", "cannot create the folder " + file.getParent() + ": " + e.getMessage());
        }
    }
}
