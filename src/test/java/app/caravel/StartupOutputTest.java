package app.caravel;

import app.caravel.support.AppProcess;
import app.caravel.support.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a newcomer sees when the server starts with the defaults: what is off, and nothing that looks broken. */
class StartupOutputTest {
    @TempDir
    Path dir;

    @Test
    void startUpSaysWhatIsOffAndPrintsNoLibraryWarningOrStackTrace() throws Exception {
        Path log = dir.resolve("server.log");
        try (AppProcess server = AppProcess.start(Map.of("database_url", "sqlite://" + dir.resolve("caravel.db"),
                "port", String.valueOf(Ports.free()), "dashboard_port", "0"), Ports.free(), dir, log)) {
            Thread.sleep(500);
        }
        String printed = Files.readString(log);
        assertTrue(printed.contains("zooid sync: disabled, ZOOID_API_URL, ZOOID_API_SECRET not set"), printed);
        assertTrue(printed.contains("invoicing: disabled, NWC_URL not set"), printed);
        for (String worrying : List.of("|-WARN", "|-ERROR", "Versions of", "Exception", "\tat ")) {
            assertTrue(!printed.contains(worrying), "start-up printed '" + worrying + "':\n" + printed);
        }
    }
}
