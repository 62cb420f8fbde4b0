package app.caravel.api;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.Event;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Await;
import app.caravel.support.DashboardClient;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import app.caravel.support.ZooidDouble;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The original Caravel dashboard, as its API client behaves, against this backend with session tokens on. */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardJourneyTest {
    private static final int PORT = Ports.free();
    private static final String BASE = "http://127.0.0.1:" + PORT;
    private static final KeyPair PLATFORM = KeyPair.generate();
    private static final ZooidDouble ZOOID = ZooidDouble.startFor(PLATFORM.pubkey());
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of(
            "nip98_session_seconds", "600", "zooid_api_url", ZOOID.url(), "zooid_api_secret", PLATFORM.secretHex(),
            "relay_domain", "relays.example.com"));
    private static final String NWC = "nostr+walletconnect://f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9"
            + "?relay=wss%3A%2F%2Frelay.example.com&secret=c15d739894c81a2fcfd3a2df85a0d2c0dbc47a280d092799f144d73d7ae78add";


    @AfterAll
    static void stopZooid() {
        ZOOID.close();
    }

    @Test
    void aTenantWalksThroughTheDashboardOnOneSessionToken() throws Exception {
        KeyPair user = KeyPair.generate();
        DashboardClient dashboard = new DashboardClient(PORT, user, Clock.systemUTC());
        String token = dashboard.token();

        JsonNode identity = dashboard.get("/identity").data();
        assertEquals(user.pubkey(), identity.path("pubkey").asText());
        assertFalse(identity.path("is_tenant").asBoolean());
        assertEquals(List.of("free", "basic", "growth"), dashboard.getUnsigned("/plans").data().findValuesAsText("id"));
        assertEquals(201, dashboard.post("/tenants", null).status());

        SignedClient.Reply created = dashboard.post("/relays", "{\"subdomain\":\"journey\",\"plan\":\"basic\","
                + "\"info_name\":\"Journey\",\"info_description\":\"a relay 🚐\",\"policy_public_join\":true,"
                + "\"blossom_enabled\":true}");
        assertEquals(201, created.status(), created.body());
        String id = created.data().path("id").asText();
        JsonNode listed = dashboard.get("/tenants/" + user.pubkey() + "/relays").data();
        assertEquals(List.of(id), listed.findValuesAsText("id"));
        Await.until("the relay on zooid", Duration.ofSeconds(30), () -> ZOOID.config(id) != null);

        ObjectNode relay = (ObjectNode) dashboard.get("/relays/" + id).data();
        relay.put("info_name", "Journey, renamed");
        SignedClient.Reply saved = dashboard.put("/relays/" + id, relay.toString());
        assertEquals(200, saved.status(), "the whole object read a moment ago saves: " + saved.body());
        assertEquals("Journey, renamed", saved.data().path("info_name").asText());
        Await.until("the new name on zooid", Duration.ofSeconds(30),
                () -> "Journey, renamed".equals(ZOOID.config(id).path("info").path("name").asText()));

        SignedClient.Reply wallet = dashboard.put("/tenants/" + user.pubkey() + "/billing", "{\"nwc_url\":\"" + NWC + "\"}");
        assertEquals(200, wallet.status(), wallet.body());
        assertTrue(wallet.data().path("nwc_is_set").asBoolean());
        assertFalse(wallet.body().contains("c15d7398"), "the wallet secret is never sent back");
        SignedClient.Reply cleared = dashboard.put("/tenants/" + user.pubkey() + "/billing", "{\"nwc_url\":null}");
        assertFalse(cleared.data().path("nwc_is_set").asBoolean());

        assertEquals(0, dashboard.get("/tenants/" + user.pubkey() + "/invoices").data().size());
        assertEquals("inactive", dashboard.post("/relays/" + id + "/deactivate", null).data().path("status").asText());
        SignedClient.Reply again = dashboard.post("/relays/" + id + "/deactivate", null);
        assertEquals(400, again.status());
        assertEquals("relay-is-inactive", again.code());
        assertEquals(token, dashboard.token(), "one token did it all, replayed on every write");
    }

    @Test
    void fieldsThatChangeBehindTheClientsBackAreIgnoredWhateverTheirValue() {
        KeyPair user = KeyPair.generate();
        DashboardClient dashboard = new DashboardClient(PORT, user, Clock.systemUTC());
        dashboard.post("/tenants", null);
        JsonNode relay = dashboard.post("/relays", "{\"subdomain\":\"stale-copy\",\"plan\":\"free\",\"info_name\":\"S\"}").data();
        ObjectNode stale = (ObjectNode) relay.deepCopy();
        stale.put("status", "active").put("sync_error", "whatever").put("synced", true).put("synced_at", 1)
                .put("created_at", "yesterday").putNull("updated_at").put("info_name", "Still saves");
        SignedClient.Reply saved = dashboard.put("/relays/" + relay.path("id").asText(), stale.toString());
        assertEquals(200, saved.status(), saved.body());
        assertEquals("new", saved.data().path("status").asText(), "status is the server's, not the copy's");
        assertEquals("Still saves", saved.data().path("info_name").asText());
        assertEquals(relay.path("created_at"), saved.data().path("created_at"));
    }

    private static String session(KeyPair keys, long createdAt, List<List<String>> tags) {
        Event event = Event.sign(keys, createdAt, 27235, tags, "");
        return "Nostr " + Base64.getEncoder().encodeToString(event.toJson().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sessionTokensOutsideTheirRulesAreRefused() {
        KeyPair user = KeyPair.generate();
        SignedClient client = new SignedClient(PORT, null);
        long now = System.currentTimeMillis() / 1000;
        assertEquals(200, client.raw("GET", "/identity", null, session(user, now - 590, List.of(List.of("u", BASE))), null)
                .status(), "590 s old: inside the 600 s window");
        assertEquals(200, client.raw("GET", "/identity", null, session(user, now + 30, List.of(List.of("u", BASE))), null)
                .status(), "a clock 30 s ahead");
        Map<String, String> refused = Map.of(
                "older than the window", session(user, now - 620, List.of(List.of("u", BASE))),
                "too far ahead", session(user, now + 120, List.of(List.of("u", BASE))),
                "u with a path", session(user, now, List.of(List.of("u", BASE + "/identity"))),
                "another host", session(user, now, List.of(List.of("u", "http://evil.example:" + PORT))),
                "a trailing slash", session(user, now, List.of(List.of("u", BASE + "/")))
        );
        refused.forEach((why, header) -> {
            SignedClient.Reply reply = client.raw("GET", "/identity", null, header, null);
            assertEquals(401, reply.status(), why + ": " + reply.body());
            assertEquals("unauthorized", reply.code(), why);
        });
        SignedClient.Reply withMethod = client.raw("GET", "/identity", null,
                session(user, now, List.of(List.of("u", BASE), List.of("method", "GET"))), null);
        assertEquals(401, withMethod.status(), "a method tag makes it a per-request token, whose u must be the URL");
        Event good = Event.sign(user, now, 27235, List.of(List.of("u", BASE)), "");
        Event forged = new Event(good.id(), good.pubkey(), good.createdAt(), good.kind(), good.tags(), good.content(),
                Event.sign(KeyPair.generate(), now, 27235, List.of(List.of("u", BASE)), "").sig());
        SignedClient.Reply forgedReply = client.raw("GET", "/identity", null, "Nostr "
                + Base64.getEncoder().encodeToString(forged.toJson().getBytes(StandardCharsets.UTF_8)), null);
        assertEquals(401, forgedReply.status());
        assertTrue(forgedReply.error().contains("signature"), forgedReply.body());
    }

    @Test
    void perRequestTokensStillWorkBesideSessionsWithTheirReplayRule() {
        KeyPair user = KeyPair.generate();
        SignedClient client = new SignedClient(PORT, user);
        assertEquals(201, client.post("/tenants", null).status());
        String header = client.authHeader("POST", "/tenants", null);
        assertEquals(200, client.raw("POST", "/tenants", null, header, null).status());
        SignedClient.Reply replay = client.raw("POST", "/tenants", null, header, null);
        assertEquals(401, replay.status());
        assertEquals("unauthorized", replay.code());
    }
}
