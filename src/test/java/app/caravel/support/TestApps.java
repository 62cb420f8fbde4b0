package app.caravel.support;

import app.caravel.CaravelApplication;
import app.caravel.CaravelConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.junit5.DropwizardAppExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real application from config.yml on a fresh temp SQLite file, on a known free port. The configuration
 * is config.yml's defaults plus what the test sets: a variable in the developer's shell (ZOOID_API_URL,
 * NWC_URL, ROBOT_*) never reaches a test app. Tenant relay URLs may be on loopback, where the doubles run.
 */
public final class TestApps {
    private TestApps() {
    }

    public static DropwizardAppExtension<CaravelConfiguration> app(int port, Map<String, String> overrides) {
        return new DropwizardAppExtension<>(CaravelApplication.class, configPath(), overrides(port, overrides));
    }

    /** The same app for a program that starts and stops it itself (the benchmarks). */
    public static DropwizardTestSupport<CaravelConfiguration> support(int port, Map<String, String> overrides) {
        return new DropwizardTestSupport<>(CaravelApplication.class, configPath(), overrides(port, overrides));
    }

    /** config.yml rendered with its defaults only, in a temp file. */
    public static String configPath() {
        try {
            Path file = Files.createTempFile("caravel-test-config", ".yml");
            Files.writeString(file, TestConfigs.render(Map.of()));
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ConfigOverride[] overrides(int port, Map<String, String> overrides) {
        Path dir;
        try {
            dir = Files.createTempDirectory("caravel-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // one override per key: two for the same key leave a system property behind for the next app
        Map<String, String> all = new LinkedHashMap<>();
        TestEngine.databaseSettings(TestEngine.freshDatabaseUrl(dir))
                .forEach((name, value) -> all.put(name.toLowerCase(java.util.Locale.ROOT), value));
        all.put("host", "127.0.0.1");
        all.put("port", String.valueOf(port));
        all.put("admin_port", "0");
        all.put("dashboard_port", "0");
        all.put("allow_private_relays", "true");
        all.putAll(overrides);
        return all.entrySet().stream().map(e -> ConfigOverride.config(e.getKey(), e.getValue()))
                .toArray(ConfigOverride[]::new);
    }

    /** The database of a running app started with {@link #support}. */
    public static app.caravel.db.Database database(DropwizardTestSupport<CaravelConfiguration> support) {
        return support.<CaravelApplication>getApplication().database();
    }
}
