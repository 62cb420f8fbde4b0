package app.caravel.api;

import app.caravel.CaravelApplication;
import app.caravel.CaravelConfiguration;
import app.caravel.nostr.Bech32;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Ports;
import app.caravel.support.TestApps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `caravel.jar call METHOD PATH [body] --key …` against the real server: signed, printed, the key never shown. */
@ExtendWith(DropwizardExtensionsSupport.class)
class CallCommandTest {
    private static final int PORT = Ports.free();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of());

    @TempDir
    Path dir;

    private record Run(int exit, String out) {
    }

    private Run call(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CaravelApplication.class.getName(), "call"));
        command.addAll(List.of(args));
        command.addAll(List.of("--url", "http://127.0.0.1:" + PORT));
        Path out = Files.createTempFile(dir, "call", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void callsAsAHexKeyFromAFileAndAsAnNsecWithoutEverPrintingTheKey() throws Exception {
        KeyPair keys = KeyPair.generate();
        Path keyFile = dir.resolve("tenant.key");
        Files.writeString(keyFile, keys.secretHex() + "\n");
        Run created = call("POST", "/tenants", "--key", keyFile.toString());
        assertEquals(0, created.exit(), created.out());
        JsonNode tenant = new ObjectMapper().readTree(created.out()).path("data");
        assertEquals(keys.pubkey(), tenant.path("pubkey").asText(), created.out());

        String nsec = Bech32.encode("nsec", keys.secret());
        Run identity = call("GET", "/identity", "--key", nsec);
        assertEquals(0, identity.exit(), identity.out());
        assertTrue(new ObjectMapper().readTree(identity.out()).path("data").path("is_tenant").asBoolean(), identity.out());

        Run relay = call("POST", "/relays", "{\"subdomain\":\"called\",\"info_name\":\"C\",\"plan\":\"free\"}", "--key", keys.secretHex());
        assertEquals(0, relay.exit(), relay.out());
        for (Run run : List.of(created, identity, relay)) {
            assertFalse(run.out().contains(keys.secretHex()) || run.out().contains(nsec), "the key is never printed");
        }
    }

    @Test
    void anErrorAnswerIsPrintedAndExitsNonZero() throws Exception {
        Run forbidden = call("GET", "/tenants", "--key", KeyPair.generate().secretHex());
        assertEquals(1, forbidden.exit(), forbidden.out());
        assertTrue(forbidden.out().contains("\"code\" : \"forbidden\""), forbidden.out());
        Run badKey = call("GET", "/identity", "--key", "not-a-key");
        assertTrue(badKey.exit() != 0 && badKey.out().contains("call: --key must be"), badKey.out());
        assertFalse(badKey.out().contains("\tat "), "one line, no stack trace: " + badKey.out());
    }
}
