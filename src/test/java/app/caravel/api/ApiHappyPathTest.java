package app.caravel.api;

import app.caravel.CaravelApplication;
import app.caravel.CaravelConfiguration;
import app.caravel.db.Activity;
import app.caravel.infra.SyncRelayJob;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The paths a frontend takes, end to end over HTTP, checked down to the rows and jobs they leave. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiHappyPathTest {
    private static final int PORT = Ports.free();
    private static final KeyPair ADMIN = KeyPair.generate();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of(
            "admins", ADMIN.pubkey(), "relay_domain", "relays.example.com"));
    private static final String NWC = "nostr+walletconnect://f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9"
            + "?relay=wss%3A%2F%2Frelay.example.com&secret=c15d739894c81a2fcfd3a2df85a0d2c0dbc47a280d092799f144d73d7ae78add";

    @Test
    void aNewTenantCreatesEditsDeactivatesAndReactivatesARelay() {
        KeyPair alice = KeyPair.generate();
        SignedClient client = new SignedClient(PORT, alice);

        JsonNode identity = client.get("/identity").data();
        assertEquals(alice.pubkey(), identity.path("pubkey").asText());
        assertFalse(identity.path("is_admin").asBoolean());
        assertFalse(identity.path("is_tenant").asBoolean());

        JsonNode plans = client.get("/plans").data();
        assertEquals(List.of("free", "basic", "growth"), plans.findValuesAsText("id"));
        assertEquals(10000, plans.get(1).path("sats").asLong());
        assertTrue(plans.get(2).path("members").isNull(), "growth is unlimited");

        SignedClient.Reply created = client.post("/tenants", null);
        assertEquals(201, created.status(), created.body());
        assertEquals(200, client.post("/tenants", "{}").status(), "idempotent");
        assertTrue(client.get("/identity").data().path("is_tenant").asBoolean());

        SignedClient.Reply wallet = client.put("/tenants/" + alice.pubkey() + "/billing", "{\"nwc_url\":\"" + NWC + "\"}");
        assertEquals(200, wallet.status(), wallet.body());
        for (JsonNode view : List.of(wallet.data(), client.get("/tenants/" + alice.pubkey()).data())) {
            assertTrue(view.path("nwc_is_set").asBoolean());
            assertEquals("f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9", view.path("nwc_pubkey").asText(),
                    "the tenant can tell which wallet is connected");
            assertEquals(List.of("wss://relay.example.com"), List.of(view.path("nwc_relays").get(0).asText()));
            assertFalse(view.has("nwc_url"), "write-only: never returned, not even to its owner");
            assertFalse(view.toString().contains("c15d739894c81a2fcfd3a2df85a0d2c0dbc47a280d092799f144d73d7ae78add"));
        }

        SignedClient.Reply relay = client.post("/relays",
                "{\"subdomain\":\"my-relay\",\"info_name\":\"My relay\",\"plan\":\"basic\",\"blossom_enabled\":true}");
        assertEquals(201, relay.status(), relay.body());
        JsonNode body = relay.data();
        String id = body.path("id").asText();
        assertEquals("new", body.path("status").asText());
        assertEquals("my-relay.relays.example.com", body.path("host").asText());
        assertTrue(body.path("schema").asText().startsWith("my_relay_"));
        assertTrue(body.path("blossom_enabled").asBoolean());
        assertFalse(body.has("secret"), "the relay's key never leaves the backend");
        assertEquals(alice.pubkey(), body.path("tenant").asText());

        assertEquals(List.of(id), client.get("/relays").data().findValuesAsText("id"));
        assertEquals("My relay", client.get("/relays/" + id).data().path("info_name").asText());

        SignedClient.Reply downgraded = client.put("/relays/" + id, "{\"plan\":\"free\",\"info_name\":\"Renamed\"}");
        assertEquals(200, downgraded.status(), downgraded.body());
        assertEquals("free", downgraded.data().path("plan").asText());
        assertFalse(downgraded.data().path("blossom_enabled").asBoolean(), "the free plan has no blossom");
        assertEquals("Renamed", downgraded.data().path("info_name").asText());

        assertEquals("inactive", client.post("/relays/" + id + "/deactivate", null).data().path("status").asText());
        assertEquals("new", client.post("/relays/" + id + "/activate", null).data().path("status").asText());
        assertEquals(0, client.get("/invoices").data().size());

        CaravelApplication app = APP.getApplication();
        List<String> activity = app.database().activity().forResource(Activity.RELAY, id).stream()
                .map(a -> a.activityType() + " " + a.snapshot()).toList();
        assertEquals(List.of(
                "create_relay {\"plan\":\"basic\",\"status\":\"new\"}",
                "update_relay {\"plan\":\"free\",\"status\":\"new\"}",
                "deactivate_relay {\"plan\":\"free\",\"status\":\"inactive\"}",
                "update_relay {\"plan\":\"free\",\"status\":\"new\"}"), activity);
        List<String> jobs = app.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT jobAsJson FROM jobrunr_jobs").mapTo(String.class).list());
        long syncJobsForRelay = jobs.stream().filter(j -> j.contains(SyncRelayJob.class.getName()) && j.contains(id)).count();
        assertEquals(4, syncJobsForRelay, "one provisioning job per change, carrying the relay id");
        assertTrue(jobs.stream().noneMatch(j -> j.contains(app.database().secrets().open(app.database().relays().find(id).orElseThrow().secret()))),
                "no secret in any job");
    }

    @Test
    void anAdminSeesEverythingAndCreatesForATenant() {
        KeyPair bob = KeyPair.generate();
        SignedClient tenant = new SignedClient(PORT, bob);
        SignedClient admin = new SignedClient(PORT, ADMIN);
        assertEquals(201, tenant.post("/tenants", null).status());
        assertTrue(admin.get("/identity").data().path("is_admin").asBoolean());

        SignedClient.Reply created = admin.post("/relays",
                "{\"tenant\":\"" + bob.pubkey() + "\",\"subdomain\":\"bobs\",\"info_name\":\"Bob's\",\"plan\":\"free\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals(bob.pubkey(), created.data().path("tenant").asText());
        String id = created.data().path("id").asText();

        assertTrue(admin.get("/tenants").data().findValuesAsText("pubkey").contains(bob.pubkey()));
        assertEquals(List.of(id), admin.get("/relays?tenant=" + bob.pubkey()).data().findValuesAsText("id"));
        assertTrue(admin.get("/relays").data().findValuesAsText("id").contains(id));
        assertEquals(List.of(id), tenant.get("/relays").data().findValuesAsText("id"));
        assertEquals(200, admin.put("/relays/" + id, "{\"info_description\":\"checked by ops\"}").status());
        assertEquals(0, admin.get("/invoices?tenant=" + bob.pubkey()).data().size());
    }

    @Test
    void openApiDocumentIsServedWithoutAuth() {
        SignedClient.Reply doc = new SignedClient(PORT, null).get("/openapi.json");
        assertEquals(200, doc.status());
        assertEquals("3.0.3", doc.json().path("openapi").asText(), "a file for tools: served as it is");
    }

    @Test
    void whatHttpAndNostrAllowIsAccepted() {
        KeyPair carol = KeyPair.generate();
        SignedClient client = new SignedClient(PORT, carol);
        String token = client.authHeader("GET", "/identity", null).substring("Nostr ".length());
        for (String scheme : List.of("nostr ", "NOSTR ", "Nostr ")) {
            assertEquals(200, client.raw("GET", "/identity", null, scheme + token, null).status(), scheme);
        }
        SignedClient.Reply head = client.raw("HEAD", "/identity", null, client.authHeader("HEAD", "/identity", null), null);
        assertEquals(200, head.status(), "HEAD signed with method HEAD");
        assertEquals("", head.body());

        client.post("/tenants", null);
        String name = "Family 👨\u200d👩\u200d👧 relay ⚡\ufe0f";
        SignedClient.Reply relay = client.post("/relays", "{\"subdomain\":\"emoji\",\"plan\":\"free\",\"info_name\":\""
                + name + "\",\"info_description\":\"🏳️\u200d🌈 welcome\"}");
        assertEquals(201, relay.status(), relay.body());
        assertEquals("Family 👨\u200d👩\u200d👧 relay ⚡\ufe0f", relay.data().path("info_name").asText(),
                "emoji, joined sequences included, stay as written");
    }
}
