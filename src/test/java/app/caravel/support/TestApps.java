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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real application from config.yml on a fresh temp SQLite file, on a known free port. */
public final class TestApps {
    private TestApps() {
    }

    public static DropwizardAppExtension<CaravelConfiguration> app(int port, Map<String, String> overrides) {
        return new DropwizardAppExtension<>(CaravelApplication.class, Path.of("config.yml").toAbsolutePath().toString(),
                overrides(port, overrides));
    }

    /** The same app for a program that starts and stops it itself (the benchmarks). */
    public static DropwizardTestSupport<CaravelConfiguration> support(int port, Map<String, String> overrides) {
        return new DropwizardTestSupport<>(CaravelApplication.class, Path.of("config.yml").toAbsolutePath().toString(),
                overrides(port, overrides));
    }

    private static ConfigOverride[] overrides(int port, Map<String, String> overrides) {
        Path dir;
        try {
            dir = Files.createTempDirectory("caravel-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ConfigOverride> all = new ArrayList<>(List.of(
                ConfigOverride.config("database_url", "sqlite://" + dir.resolve("caravel.db")),
                ConfigOverride.config("host", "127.0.0.1"),
                ConfigOverride.config("port", String.valueOf(port)),
                ConfigOverride.config("admin_port", "0"),
                ConfigOverride.config("dashboard_port", "0")));
        overrides.forEach((key, value) -> all.add(ConfigOverride.config(key, value)));
        return all.toArray(ConfigOverride[]::new);
    }
}
