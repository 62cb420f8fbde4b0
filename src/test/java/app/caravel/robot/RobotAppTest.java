package app.caravel.robot;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.Event;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip17;
import app.caravel.support.Await;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import app.caravel.support.TestRelay;
import app.caravel.support.ZooidDouble;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole service with the robot on: its profile at start, and a DM when a tenant's relay goes live. */
@ExtendWith(DropwizardExtensionsSupport.class)
class RobotAppTest {
    private static final int PORT = Ports.free();
    private static final KeyPair PLATFORM = KeyPair.generate();
    private static final KeyPair ROBOT = KeyPair.generate();
    private static final TestRelay OUTBOX = relay();
    private static final TestRelay INDEXER = relay();
    private static final TestRelay INBOX = relay();
    private static final ZooidDouble ZOOID = zooid();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of(
            "zooid_api_url", ZOOID.url(), "zooid_api_secret", PLATFORM.secretHex(),
            "relay_domain", "relays.example.com", "robot_secret", ROBOT.secretHex(),
            "robot_outbox_relays", OUTBOX.url(), "robot_indexer_relays", INDEXER.url(),
            "robot_messaging_relays", OUTBOX.url()));

    private static TestRelay relay() {
        try {
            return TestRelay.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ZooidDouble zooid() {
        try {
            return ZooidDouble.start(PLATFORM.pubkey());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        ZOOID.close();
        for (TestRelay relay : List.of(OUTBOX, INDEXER, INBOX)) {
            relay.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(40), condition);
    }

    @Test
    void theRobotIntroducesItselfAndTellsATenantItsRelayIsLive() throws Exception {
        await("robot profile", () -> OUTBOX.events(0).size() == 1 && OUTBOX.events(10050).size() == 1);
        assertEquals(ROBOT.pubkey(), OUTBOX.events(0).get(0).pubkey());

        KeyPair tenant = KeyPair.generate();
        INDEXER.store(Event.sign(tenant, System.currentTimeMillis() / 1000 - 60, 10050,
                List.of(List.of("relay", INBOX.url())), ""));
        SignedClient client = new SignedClient(PORT, tenant);
        client.post("/tenants", null);
        assertEquals(201, client.post("/relays", "{\"subdomain\":\"hello\",\"info_name\":\"Hello\",\"plan\":\"free\"}").status());

        await("the DM", () -> !INBOX.events(1059).isEmpty());
        Event rumor = Nip17.open(INBOX.events(1059).get(0), tenant);
        assertEquals(ROBOT.pubkey(), rumor.pubkey());
        assertTrue(rumor.content().contains("wss://hello.relays.example.com is live"), rumor.content());
        assertTrue(APP.getEnvironment().healthChecks().runHealthCheck("robot").isHealthy());
    }
}
