package app.caravel.jobs;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Await;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import app.caravel.support.ZooidDouble;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The operators' main screen, JobRunr's dashboard, in headless Chromium: Debian's {@code chromium} (installed
 * here with apt when missing) driven by {@code playwright-core} from npm with {@code executablePath} set; never a
 * downloaded browser. Without credentials it refuses; with them it lists the recurring jobs and a relay's sync job
 * by its readable name; no page shows a wallet secret, a relay key or the robot's key. Skipped, saying why, only
 * where Chromium or Node can't be installed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class JobRunrDashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path WORK = Path.of("target", "browser");
    private static final int PORT = Ports.free();
    private static final int DASHBOARD = Ports.free();
    private static final KeyPair PLATFORM = KeyPair.generate();
    private static final KeyPair ROBOT = KeyPair.generate();
    private static final KeyPair PLATFORM_WALLET = KeyPair.generate();
    private static final String PASSWORD = "dashboard-" + KeyPair.generate().pubkey().substring(0, 16);
    private static final ZooidDouble ZOOID = ZooidDouble.startFor(PLATFORM.pubkey());
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of(
            "zooid_api_url", ZOOID.url(), "zooid_api_secret", PLATFORM.secretHex(), "relay_domain", "relays.example.com",
            "robot_secret", ROBOT.secretHex(), "dashboard_port", String.valueOf(DASHBOARD), "dashboard_user", "operator",
            "dashboard_password", PASSWORD, "nwc_url", "nostr+walletconnect://" + KeyPair.generate().pubkey()
                    + "?relay=wss%3A%2F%2Fwallet.example.com&secret=" + PLATFORM_WALLET.secretHex()));

    @BeforeAll
    static void browser() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            run(List.of("sh", "-c", "apt-get install -y chromium || (apt-get update && apt-get install -y chromium)"),
                    Path.of("."), Duration.ofMinutes(10));
        }
        if (!Files.isExecutable(CHROMIUM)) {
            abort("Debian's chromium is not installed and apt-get could not install it here");
        }
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "dashboard.mjs")) {
            Files.copy(Path.of("src", "test", "browser", file), WORK.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules").resolve("playwright-core"))) {
            String npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), WORK, Duration.ofMinutes(5));
            if (!Files.isDirectory(WORK.resolve("node_modules").resolve("playwright-core"))) {
                abort("playwright-core could not be installed from npm: " + npm);
            }
        }
    }

    @AfterAll
    static void stopZooid() {
        ZOOID.close();
    }

    @Test
    void credentialsAreRequiredTheJobsHaveReadableNamesAndNoPageShowsASecret() throws Exception {
        KeyPair tenantWallet = KeyPair.generate();
        SignedClient tenant = new SignedClient(PORT, KeyPair.generate());
        tenant.post("/tenants", "{\"nwc_url\":\"nostr+walletconnect://" + KeyPair.generate().pubkey()
                + "?relay=wss%3A%2F%2Fwallet.example.com&secret=" + tenantWallet.secretHex() + "\"}");
        String relay = tenant.post("/relays", "{\"subdomain\":\"watched\",\"info_name\":\"W\",\"plan\":\"free\"}")
                .data().path("id").asText();
        Await.until("the relay's sync job ran", Duration.ofSeconds(40), () -> ZOOID.ids().contains(relay));
        String relayKey = ZOOID.config(relay).path("secret").asText();

        String printed = run(List.of("node", "dashboard.mjs"), WORK, Duration.ofMinutes(2), Map.of(
                "DASHBOARD_URL", "http://127.0.0.1:" + DASHBOARD, "DASHBOARD_USER", "operator",
                "DASHBOARD_PASSWORD", PASSWORD, "CHROMIUM", CHROMIUM.toString(),
                "EXPECT_JOB", "Sync relay " + relay + " to zooid",
                "SECRETS", String.join(",", tenantWallet.secretHex(), PLATFORM_WALLET.secretHex(), relayKey,
                        ROBOT.secretHex(), PLATFORM.secretHex())));
        String json = printed.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the browser script printed no result: " + printed));
        JsonNode seen = new ObjectMapper().readTree(json);
        assertEquals(401, seen.path("anonymousStatus").asInt(), "no credentials, no dashboard: " + json);
        assertEquals(401, seen.path("anonymousApiStatus").asInt(), "nor its API: " + json);
        assertEquals("refused", seen.path("anonymousPage").asText(), json);
        List<String> recurring = new ObjectMapper().convertValue(seen.path("recurring"), List.class);
        assertTrue(recurring.containsAll(List.of("billing-tick", "collect-invoices", "reconcile-relays", "heal-relays")), json);
        assertTrue(seen.path("jobFound").asBoolean(), "the relay's job listed as 'Sync relay <id> to zooid': " + json);
        assertEquals(0, seen.path("leaks").size(), "no page shows a secret: " + json);
        assertTrue(seen.path("pages").size() >= 8, json);
    }

    private static String run(List<String> command, Path dir, Duration timeout) throws Exception {
        return run(command, dir, timeout, Map.of());
    }

    private static String run(List<String> command, Path dir, Duration timeout, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile("browser", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            abort(command.get(0) + " is not available here: " + e.getMessage());
            return "";
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
