package app.caravel;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartupFailureTest {
    @TempDir
    Path dir;

    @Test
    void aMalformedKeyStopsStartUpNamingTheVariableAndTouchesNothing() {
        DropwizardTestSupport<CaravelConfiguration> support = new DropwizardTestSupport<>(CaravelApplication.class,
                app.caravel.support.TestApps.configPath(),
                ConfigOverride.config("database_url", "sqlite://" + dir.resolve("never.db")),
                ConfigOverride.config("port", "0"),
                ConfigOverride.config("admin_port", "0"),
                ConfigOverride.config("dashboard_port", "0"),
                ConfigOverride.config("robot_secret", "not-a-key"));
        Exception e = assertThrows(Exception.class, support::before);
        support.after();
        Throwable cause = e;
        while (cause.getCause() != null && !cause.getMessage().contains("ROBOT_SECRET")) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("ROBOT_SECRET: must be 64 hex characters"), cause.getMessage());
        assertFalse(Files.exists(dir.resolve("never.db")), "no database created before the config is valid");
    }
}
