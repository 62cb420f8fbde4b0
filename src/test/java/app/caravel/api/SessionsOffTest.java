package app.caravel.api;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.support.DashboardClient;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With NIP98_SESSION_SECONDS=0 (the default) the dashboard's session token opens nothing; plans stay public. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SessionsOffTest {
    private static final int PORT = Ports.free();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of());

    @Test
    void theDashboardClientGets401OnEverySignedRoute() {
        KeyPair user = KeyPair.generate();
        assertEquals(201, new SignedClient(PORT, user).post("/tenants", null).status(), "a per-request token works");
        DashboardClient dashboard = new DashboardClient(PORT, user, Clock.systemUTC());
        String me = "/tenants/" + user.pubkey();
        String relay = "/relays/" + UUID.randomUUID();
        List<SignedClient.Reply> replies = List.of(dashboard.get("/identity"), dashboard.post("/tenants", null),
                dashboard.get(me), dashboard.put(me + "/billing", "{\"nwc_url\":null}"), dashboard.get(me + "/relays"),
                dashboard.get(me + "/invoices"), dashboard.get("/relays"),
                dashboard.post("/relays", "{\"subdomain\":\"x\",\"plan\":\"free\",\"info_name\":\"X\"}"),
                dashboard.get(relay), dashboard.put(relay, "{\"info_name\":\"Y\"}"), dashboard.post(relay + "/deactivate", null),
                dashboard.post(relay + "/activate", null), dashboard.get("/invoices"), dashboard.get("/tenants"));
        for (SignedClient.Reply reply : replies) {
            assertEquals(401, reply.status(), reply.body());
            assertEquals("unauthorized", reply.code());
            assertTrue(reply.error().contains("session tokens are off"), reply.body());
        }
        assertEquals(200, dashboard.getUnsigned("/plans").status());
    }
}
