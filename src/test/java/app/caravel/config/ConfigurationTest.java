package app.caravel.config;

import app.caravel.CaravelConfiguration;
import app.caravel.Feature;
import app.caravel.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigurationTest {
    private static final String KEY_A = "17162c921dc4d2518f9a101db33695df1afb56ab82f5ff3e5da6eec3ca5cd917";
    private static final String KEY_B = "d41b22899549e1f3d335a31002cfd382174006e166d3e658e3a5eecdb6463573";
    private static final String SECRET = "c15d739894c81a2fcfd3a2df85a0d2c0dbc47a280d092799f144d73d7ae78add";
    private static final String NWC = "nostr+walletconnect://f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9"
            + "?relay=wss%3A%2F%2Frelay.example.com&secret=" + SECRET;

    @Test
    void defaultsWithAnEmptyEnvironment() throws Exception {
        CaravelConfiguration config = TestConfigs.load(Map.of());
        config.validate();
        assertEquals(Path.of(System.getProperty("user.dir"), "data", "caravel.db"), config.databasePath());
        assertEquals("127.0.0.1", config.host());
        assertEquals(3000, config.port());
        assertEquals(8081, config.adminPort());
        assertEquals(8000, config.dashboardPort());
        assertEquals(32, config.workers());
        assertEquals(30, config.nwcTimeoutSeconds());
        assertEquals(64, config.nwcMaxInFlight());
        assertEquals(5, config.jobPollSeconds());
        assertEquals(7, config.billingGraceDays());
        assertFalse(config.billingAllowAt());
        assertEquals("http://127.0.0.1:3000", config.publicUrl(), "PUBLIC_URL defaults to http://HOST:PORT");
        assertEquals(0, config.nip98SessionSeconds(), "session tokens off unless asked for");
        assertEquals("127.0.0.1", config.adminHost());
        assertFalse(config.allowPrivateRelays());
        assertEquals(List.of(), config.admins());
        assertEquals(List.of(), config.allowOrigins());
        assertTrue(config.zooidApiUrl().isEmpty());
        assertTrue(config.nwcUrl().isEmpty());
        assertTrue(config.robotSecret().isEmpty());
        assertEquals("", config.relayDomain());
        assertTrue(config.dashboardPassword().isEmpty());
        assertTrue(Feature.of(config).stream().filter(f -> !f.name().contains("dashboard")).noneMatch(Feature::enabled));
        assertTrue(Feature.of(config).stream().anyMatch(f -> f.describe().equals(
                "zooid sync: disabled, ZOOID_API_URL, ZOOID_API_SECRET not set")));
    }

    @Test
    void everyVariableIsRead() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", "sqlite:///tmp/caravel-x/c.db");
        env.put("HOST", "0.0.0.0");
        env.put("PORT", "4000");
        env.put("ADMIN_PORT", "4001");
        env.put("ADMINS", " " + KEY_A + " , " + KEY_B.toUpperCase() + " ");
        env.put("ALLOW_ORIGINS", "https://app.example.com, http://localhost:5173");
        env.put("PUBLIC_URL", "https://api.example.com/");
        env.put("NIP98_SESSION_SECONDS", "600");
        env.put("ADMIN_HOST", "10.0.0.2");
        env.put("ALLOW_PRIVATE_RELAYS", "true");
        env.put("ZOOID_API_URL", "http://127.0.0.1:3334/");
        env.put("ZOOID_API_SECRET", SECRET);
        env.put("RELAY_DOMAIN", "relays.example.com");
        env.put("LIVEKIT_URL", "wss://livekit.example.com");
        env.put("LIVEKIT_API_KEY", "lk-key");
        env.put("LIVEKIT_API_SECRET", "lk-secret");
        env.put("NWC_URL", NWC);
        env.put("ROBOT_SECRET", SECRET.toUpperCase());
        env.put("ROBOT_NAME", "Robot: the one");
        env.put("ROBOT_DESCRIPTION", "Hosts # relays");
        env.put("ROBOT_PICTURE", "https://example.com/r.png");
        env.put("ROBOT_OUTBOX_RELAYS", " relay.damus.io, wss://nos.lol ,,ws://127.0.0.1:7777 ");
        env.put("ROBOT_INDEXER_RELAYS", "purplepag.es");
        env.put("ROBOT_MESSAGING_RELAYS", "wss://inbox.example.com");
        env.put("DASHBOARD_PORT", "0");
        env.put("DASHBOARD_USER", "ops");
        env.put("DASHBOARD_PASSWORD", "s3cret");
        env.put("WORKERS", "2");
        env.put("JOB_POLL_SECONDS", "15");
        env.put("BILLING_GRACE_DAYS", "3");
        env.put("BILLING_ALLOW_AT", "true");
        CaravelConfiguration config = TestConfigs.load(env);
        config.validate();
        assertEquals(Path.of("/tmp/caravel-x/c.db"), config.databasePath());
        assertEquals("0.0.0.0", config.host());
        assertEquals(4000, config.port());
        assertEquals(4001, config.adminPort());
        assertEquals(List.of(KEY_A, KEY_B), config.admins());
        assertEquals(List.of("https://app.example.com", "http://localhost:5173"), config.allowOrigins());
        assertEquals("https://api.example.com", config.publicUrl());
        assertEquals(600, config.nip98SessionSeconds());
        assertEquals("10.0.0.2", config.adminHost());
        assertTrue(config.allowPrivateRelays());
        assertEquals("http://127.0.0.1:3334", config.zooidApiUrl().orElseThrow());
        assertEquals(SECRET, config.zooidApiSecret().orElseThrow());
        assertEquals("relays.example.com", config.relayDomain());
        assertEquals("wss://livekit.example.com", config.livekitUrl().orElseThrow());
        assertEquals("lk-key", config.livekitApiKey().orElseThrow());
        assertEquals("lk-secret", config.livekitApiSecret().orElseThrow());
        assertEquals(List.of("wss://relay.example.com"), config.nwcUrl().orElseThrow().relays());
        assertEquals(SECRET, config.robotSecret().orElseThrow());
        assertEquals("Robot: the one", config.robotName());
        assertEquals("Hosts # relays", config.robotDescription());
        assertEquals("https://example.com/r.png", config.robotPicture());
        assertEquals(List.of("wss://relay.damus.io", "wss://nos.lol", "ws://127.0.0.1:7777"), config.robotOutboxRelays());
        assertEquals(List.of("wss://purplepag.es"), config.robotIndexerRelays());
        assertEquals(List.of("wss://inbox.example.com"), config.robotMessagingRelays());
        assertEquals(0, config.dashboardPort());
        assertEquals("ops", config.dashboardUser().orElseThrow());
        assertEquals("s3cret", config.dashboardPassword().orElseThrow());
        assertEquals(2, config.workers());
        assertEquals(15, config.jobPollSeconds());
        assertEquals(3, config.billingGraceDays());
        assertTrue(config.billingAllowAt());
        assertTrue(Feature.of(config).stream().filter(f -> !f.name().contains("dashboard")).allMatch(Feature::enabled));
    }

    @Test
    void relativeDatabasePathsResolveUnderTheProjectDirectory() throws Exception {
        CaravelConfiguration config = TestConfigs.load(Map.of("DATABASE_URL", "sqlite:var/db/x.db"));
        assertEquals(Path.of(System.getProperty("user.dir"), "var", "db", "x.db"), config.databasePath());
        assertEquals(Path.of("/base/data/c.db"), ConfigValues.sqlitePath("DATABASE_URL", "sqlite://data/c.db", Path.of("/base")));
        assertEquals(Path.of("/base/c.db"), ConfigValues.sqlitePath("DATABASE_URL", "sqlite://./data/../c.db?mode=rwc", Path.of("/base")));
    }

    /** SPEC §2: postgres:// and postgresql://, query parameters passed to the driver, the password never shown. */
    @Test
    void postgresUrlsBecomeAJdbcUrlWithTheCredentialsApart() throws Exception {
        CaravelConfiguration config = TestConfigs.load(Map.of("DATABASE_URL",
                "postgres://caravel:s3cr%40t-pw@db.example.com:5432/caravel?sslmode=require&connectTimeout=5"));
        config.validate();
        app.caravel.config.DatabaseUrl url = config.databaseUrl();
        assertEquals(app.caravel.db.Dialect.POSTGRES, url.engine());
        assertEquals("jdbc:postgresql://db.example.com:5432/caravel?sslmode=require&connectTimeout=5", url.jdbcUrl());
        assertEquals(java.util.Optional.of("caravel"), url.user());
        assertEquals(java.util.Optional.of("s3cr@t-pw"), url.password());
        assertEquals("org.postgresql.Driver", config.dataSourceFactory().getDriverClass());
        assertEquals("caravel", config.dataSourceFactory().getUser());
        assertEquals(40, config.dataSourceFactory().getMaxSize(), "PostgreSQL's pool: the workers plus the API");
        assertFalse(url.toString().contains("s3cr"), url.toString());
        assertFalse(config.dataSourceFactory().getUrl().contains("s3cr"), "the password is not in the JDBC URL");
        assertEquals("jdbc:postgresql://localhost/caravel",
                app.caravel.config.DatabaseUrl.parse("postgresql://localhost/caravel", Path.of("/")).jdbcUrl());
        assertFalse(app.caravel.config.DatabaseUrl.parse("postgres://h/db?password=hunter2", Path.of("/")).toString()
                .contains("hunter2"), "a password given as a parameter is not shown either");
        assertEquals(16, TestConfigs.load(Map.of()).databasePoolSize(), "SQLite's pool");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "DATABASE_URL|mysql://localhost/db",
            "DATABASE_URL|postgres://",
            "DATABASE_URL|postgres://db.example.com",
            "DATABASE_URL|postgresql://user:pass@/caravel",
            "DATABASE_URL|postgres://host/a/b",
            "DATABASE_URL|sqlite://",
            "DATABASE_URL|sqlite::memory:",
            "PORT|abc",
            "PORT|70000",
            "ADMIN_PORT|-1",
            "ADMINS|npub1abc",
            "ADMINS|" + KEY_A + ",zz",
            "PUBLIC_URL|ftp://api.example.com",
            "PUBLIC_URL|api.example.com",
            "NIP98_SESSION_SECONDS|-1",
            "NIP98_SESSION_SECONDS|ten",
            "ALLOW_PRIVATE_RELAYS|maybe",
            "ZOOID_API_URL|ftp://zooid",
            "ZOOID_API_URL|not a url",
            "ZOOID_API_SECRET|1234",
            "NWC_URL|https://wallet.example.com",
            "NWC_URL|nostr+walletconnect://f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9?relay=wss%3A%2F%2Fr.example.com",
            "ROBOT_SECRET|" + KEY_A + "00",
            "ROBOT_OUTBOX_RELAYS|wss://",
            "ROBOT_INDEXER_RELAYS|wss://bad host",
            "ROBOT_MESSAGING_RELAYS|ws://",
            "DASHBOARD_PORT|eighty",
            "WORKERS|0",
            "JOB_POLL_SECONDS|1",
            "BILLING_GRACE_DAYS|-3",
            "BILLING_ALLOW_AT|yes please",
            "DATABASE_POOL_SIZE|0",
    })
    void malformedValuesStopStartUpNamingTheVariable(String variable, String value) throws Exception {
        CaravelConfiguration config = TestConfigs.load(Map.of(variable, value));
        ConfigException e = assertThrows(ConfigException.class, config::validate);
        assertEquals(variable, e.variable());
        assertTrue(e.getMessage().startsWith(variable + ": "), e.getMessage());
    }

    @Test
    void secretValuesAreNeverEchoedInErrors() throws Exception {
        String almostSecret = SECRET.substring(0, 63) + "g";
        for (String variable : List.of("ROBOT_SECRET", "ZOOID_API_SECRET")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> TestConfigs.load(Map.of(variable, almostSecret)).validate());
            assertFalse(e.getMessage().contains(almostSecret.substring(0, 16)), e.getMessage());
        }
        ConfigException nwc = assertThrows(ConfigException.class,
                () -> TestConfigs.load(Map.of("NWC_URL", NWC.replace("secret=", "secret=00"))).validate());
        assertFalse(nwc.getMessage().contains(SECRET), nwc.getMessage());
        for (String database : List.of("mysql://caravel:hunter2@db/caravel", "postgres://caravel:hunter2@/caravel")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> TestConfigs.load(Map.of("DATABASE_URL", database)).validate());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }
}
