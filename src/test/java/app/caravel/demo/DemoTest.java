package app.caravel.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `make demo` as a newcomer runs it: it tells the whole story, step by step, and ends by itself. */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void theDemoWalksATenantThroughTheProductAndEnds() throws Exception {
        Path story = dir.resolve("story.txt");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dcaravel.config=" + Path.of("config.yml").toAbsolutePath(),
                Demo.class.getName())
                // its own folder, as AppProcess does: Liquibase must find migrations.xml once, on the class path
                .directory(dir.toFile()).redirectError(story.toFile()).redirectOutput(dir.resolve("service.log").toFile()).start();
        assertTrue(demo.waitFor(3, TimeUnit.MINUTES), "it ends by itself");
        String printed = Files.readString(story);
        assertEquals(0, demo.exitValue(), printed);
        for (String step : new String[]{"1. Tenant npub1", "wallet connected: true", "2. Relay wss://demo.", "the relay is now active",
                "1 invoice made, 1 paid", "Invoice 10000 sats, status paid", "5. Relay deactivated",
                "is live. Point your Nostr client", "10,000 sats. We will collect it", "JobRunr dashboard http://",
                "Stopped and cleaned up"}) {
            assertTrue(printed.contains(step), "missing '" + step + "' in:\n" + printed);
        }
    }
}
