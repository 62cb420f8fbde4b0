package app.caravel.infra;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import app.caravel.support.ZooidDouble;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * zooid down for 3 minutes while tenants keep working, as an operator would live it (#14 item 5): the API keeps
 * answering and shows each touched relay's sync error; JobRunr's backoff grows meanwhile; within 60 s of zooid
 * answering again, zooid holds exactly the API's state and no relay carries a sync error.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ZooidOutageAppTest {
    private static final int PORT = Ports.free();
    private static final KeyPair PLATFORM = KeyPair.generate();
    private static final ZooidDouble ZOOID = ZooidDouble.startFor(PLATFORM.pubkey());
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of(
            "zooid_api_url", ZOOID.url(), "zooid_api_secret", PLATFORM.secretHex(),
            "relay_domain", "relays.example.com"));
    private static final Duration OUTAGE = Duration.ofMinutes(3);

    @AfterAll
    static void stopZooid() {
        ZOOID.close();
    }

    @Test
    void afterAThreeMinuteOutageEveryRelayIsBackInStepWithinAMinute() throws Exception {
        SignedClient tenant = new SignedClient(PORT, KeyPair.generate());
        tenant.post("/tenants", null);
        long outageStart = System.nanoTime();
        ZOOID.failNext(Integer.MAX_VALUE, 503);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            SignedClient.Reply created = tenant.post("/relays", "{\"subdomain\":\"outage-" + i + "\",\"info_name\":\"R" + i
                    + "\",\"plan\":\"free\"}");
            assertEquals(201, created.status(), created.body());
            ids.add(created.data().path("id").asText());
        }
        sleepUntil(outageStart, Duration.ofSeconds(60));
        for (int i = 0; i < 10; i++) {
            assertEquals(200, tenant.put("/relays/" + ids.get(i), "{\"info_name\":\"Renamed " + i + "\"}").status());
        }
        sleepUntil(outageStart, Duration.ofSeconds(120));
        for (int i = 15; i < 20; i++) {
            assertEquals(200, tenant.post("/relays/" + ids.get(i) + "/deactivate", null).status());
        }
        sleepUntil(outageStart, OUTAGE.minusSeconds(5));
        for (String id : ids) {
            JsonNode relay = tenant.get("/relays/" + id).data();
            assertTrue(relay.hasNonNull("sync_error"), "the outage is shown on the relay: " + relay);
        }
        sleepUntil(outageStart, OUTAGE);

        ZOOID.failNext(0, 503); // zooid is back
        long back = System.nanoTime();
        String state = "";
        while (System.nanoTime() - back < Duration.ofSeconds(60).toNanos()) {
            state = mismatch(tenant, ids);
            if (state.isEmpty()) {
                break;
            }
            Thread.sleep(250);
        }
        double seconds = (System.nanoTime() - back) / 1e9;
        assertEquals("", state, "in step within 60 s of zooid's return");
        System.out.printf("zooid outage of %d s: every relay in step %.1f s after its return%n", OUTAGE.toSeconds(), seconds);
    }

    /** "" when zooid holds exactly the API's state for every relay and none has a sync error; else the first difference. */
    private static String mismatch(SignedClient tenant, List<String> ids) {
        for (String id : ids) {
            JsonNode relay = tenant.get("/relays/" + id).data();
            if (relay.hasNonNull("sync_error")) {
                return id + " still has sync_error " + relay.path("sync_error");
            }
            boolean inactive = "inactive".equals(relay.path("status").asText());
            if (!ZOOID.ids().contains(id)) {
                if (inactive) {
                    continue; // deactivated before zooid ever had it: nothing to stop
                }
                return id + " not on zooid";
            }
            JsonNode config = ZOOID.config(id);
            if (!relay.path("info_name").asText().equals(config.path("info").path("name").asText())) {
                return id + " has name " + config.path("info").path("name") + " on zooid";
            }
            if (inactive != config.path("inactive").asBoolean()) {
                return id + " is " + relay.path("status") + " but zooid has inactive=" + config.path("inactive");
            }
        }
        return "";
    }

    private static void sleepUntil(long startNanos, Duration offset) throws InterruptedException {
        long left = startNanos + offset.toNanos() - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
    }
}
