package app.caravel.api;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A tenant's relay list is rendered once and served again only while its rows are unchanged: every write, by
 * the API or by anyone else on the database (a job, a CLI command, another server process), shows on the very
 * next read, and a kept answer is byte for byte what Jersey renders.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TenantRelayListsTest {
    private static final int PORT = Ports.free();
    private static final KeyPair ADMIN = KeyPair.generate();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of(
            "admins", ADMIN.pubkey(), "relay_domain", "relays.example.com"));

    @Test
    void aKeptListIsTheSameAnswerAndEveryWriteOfAnyoneShowsOnTheNextRead() throws Exception {
        KeyPair tenant = KeyPair.generate();
        SignedClient client = new SignedClient(PORT, tenant);
        assertEquals(403, client.get("/relays").status(), "not a tenant yet");
        assertEquals(201, client.post("/tenants", null).status());
        assertEquals(List.of(), names(client));

        SignedClient.Reply created = client.post("/relays", "{\"subdomain\":\"kept-1\",\"info_name\":\"one\",\"plan\":\"free\"}");
        assertEquals(201, created.status(), created.body());
        String id = created.data().path("id").asText();
        SignedClient.Reply first = client.get("/relays");
        assertEquals(List.of("one"), names(first));
        assertEquals(first.body(), client.get("/relays").body(), "served again");
        assertEquals(first.body(), client.get("/tenants/" + tenant.pubkey() + "/relays").body(), "the other route, the same list");
        assertEquals(first.body(), new SignedClient(PORT, ADMIN).get("/relays?tenant=" + tenant.pubkey()).body(),
                "byte for byte what Jersey renders (an admin's list is never kept)");

        // writes that bypass the API, as another process or a worker makes them
        Jdbi db = APP.<app.caravel.CaravelApplication>getApplication().database().jdbi();
        db.useHandle(h -> h.execute("UPDATE relays SET name = 'renamed' WHERE id = ?", id));
        assertEquals(List.of("renamed"), names(client));
        db.useHandle(h -> h.execute("UPDATE relays SET status = 'delinquent' WHERE id = ?", id));
        assertEquals("delinquent", client.get("/relays").data().get(0).path("status").asText());
        db.useHandle(h -> h.execute("UPDATE relays SET sync_error = 'zooid: 503' WHERE id = ?", id));
        assertEquals("zooid: 503", client.get("/tenants/" + tenant.pubkey() + "/relays").data().get(0).path("sync_error").asText());
        long version = version(db, id);
        db.useHandle(h -> h.execute("UPDATE relays SET sync_error = NULL, synced_at = updated_at + 1 WHERE tenant = ?",
                tenant.pubkey()));
        assertEquals(version + 1, version(db, id), "the database raised the row's version");
        JsonNode synced = client.get("/relays").data().get(0);
        assertEquals("null true", synced.path("sync_error").toString() + " " + synced.path("synced").asBoolean());

        // a connection of its own, as another server process or an operator's command has
        DataSourceFactory factory = APP.getConfiguration().dataSourceFactory();
        try (Connection other = DriverManager.getConnection(factory.getUrl(), factory.getUser(),
                factory.getPassword()); PreparedStatement update = other.prepareStatement(
                "UPDATE relays SET name = 'elsewhere' WHERE id = ?")) {
            update.setString(1, id);
            assertEquals(1, update.executeUpdate());
        }
        assertEquals(List.of("elsewhere"), names(client));
        assertEquals(List.of("elsewhere"), names(client), "kept again");

        // and the API's own writes
        assertEquals(200, client.put("/relays/" + id, "{\"info_name\":\"edited\"}").status());
        assertEquals(List.of("edited"), names(client));
        assertEquals(201, client.post("/relays", "{\"subdomain\":\"kept-2\",\"info_name\":\"two\",\"plan\":\"free\"}").status());
        // two relays made within one second are listed in id order, which is random
        assertEquals(List.of("edited", "two"), names(client).stream().sorted().toList());
        assertEquals(client.get("/relays").body(), new SignedClient(PORT, ADMIN).get("/relays?tenant=" + tenant.pubkey()).body());
    }

    @Test
    void theCheckOfAKeptListMatchesTheVersionsItWasRenderedAt() {
        // were they ever to differ, every read would render again: correct answers, the cache silently gone
        KeyPair tenant = KeyPair.generate();
        SignedClient client = new SignedClient(PORT, tenant);
        assertEquals(201, client.post("/tenants", null).status());
        app.caravel.db.Database db = APP.<app.caravel.CaravelApplication>getApplication().database();
        assertEquals("", db.relayVersions(tenant.pubkey()), "no relay yet");
        assertEquals("", db.relaysOfTenant(tenant.pubkey()).orElseThrow().versions());
        for (int i = 1; i <= 3; i++) {
            assertEquals(201, client.post("/relays", "{\"subdomain\":\"check-" + i + "\",\"info_name\":\"c\",\"plan\":\"free\"}").status());
        }
        String id = client.get("/relays").data().get(1).path("id").asText();
        db.jdbi().useHandle(h -> h.execute("UPDATE relays SET name = 'x' WHERE id = ?", id));
        String versions = db.relayVersions(tenant.pubkey());
        assertEquals(db.relaysOfTenant(tenant.pubkey()).orElseThrow().versions(), versions);
        assertEquals(3, versions.split(" ").length, versions);
        assertEquals(true, versions.contains(id + ":1"), versions);
    }

    @Test
    void anAdminMakesARelayOnlyForATenant() {
        KeyPair someone = KeyPair.generate();
        SignedClient admin = new SignedClient(PORT, ADMIN);
        String body = "{\"tenant\":\"" + someone.pubkey() + "\",\"subdomain\":\"for-someone\",\"info_name\":\"s\",\"plan\":\"free\"}";
        SignedClient.Reply refused = admin.post("/relays", body);
        assertEquals(422, refused.status(), refused.body());
        Jdbi db = APP.<app.caravel.CaravelApplication>getApplication().database().jdbi();
        long rows = db.withHandle(h -> h.createQuery("SELECT count(*) FROM relays WHERE subdomain = 'for-someone'")
                .mapTo(Long.class).one());
        assertEquals(0, rows, "no row");
        assertEquals(201, new SignedClient(PORT, someone).post("/tenants", null).status());
        assertEquals(201, admin.post("/relays", body).status(), "a tenant now");
        assertEquals(List.of("s"), names(new SignedClient(PORT, someone)));
    }

    private static long version(Jdbi db, String id) {
        return db.withHandle(h -> h.createQuery("SELECT version FROM relays WHERE id = ?").bind(0, id).mapTo(Long.class).one());
    }

    private static List<String> names(SignedClient client) {
        return names(client.get("/relays"));
    }

    private static List<String> names(SignedClient.Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        return reply.data().findValuesAsText("info_name");
    }
}
