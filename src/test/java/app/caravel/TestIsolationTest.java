package app.caravel;

import app.caravel.nostr.KeyPair;
import app.caravel.support.ConfigProbe;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A developer's shell with production settings in it changes nothing about what a test app talks to. */
class TestIsolationTest {
    @Test
    void aTestAppsConfigurationIgnoresTheShellsEnvironment() throws Exception {
        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConfigProbe.class.getName());
        Map<String, String> env = child.environment();
        env.put("ZOOID_API_URL", "https://zooid.production.example");
        env.put("ZOOID_API_SECRET", KeyPair.generate().secretHex());
        env.put("NWC_URL", "nostr+walletconnect://f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9"
                + "?relay=wss%3A%2F%2Frelay.example.com&secret=" + KeyPair.generate().secretHex());
        env.put("ROBOT_SECRET", KeyPair.generate().secretHex());
        env.put("ROBOT_OUTBOX_RELAYS", "wss://relay.production.example");
        env.put("DATABASE_URL", "sqlite:///var/lib/caravel/production.db");
        Process process = child.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.waitFor(), out);
        assertEquals("zooid= nwc=false robot=false outbox=[] database=caravel.db", out.lines().reduce((a, b) -> b).orElse(""));
    }
}
