package app.caravel.api;

import app.caravel.CaravelApplication;
import app.caravel.CaravelConfiguration;
import app.caravel.db.Database;
import app.caravel.db.Ids;
import app.caravel.db.Invoice;
import app.caravel.db.Relay;
import app.caravel.nostr.KeyPair;
import app.caravel.support.DbSnapshot;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A tenant owing an overdue invoice cannot get a paid relay back into service by any path: deactivating a
 * delinquent relay keeps it delinquent, and activating, creating or upgrading a paid relay waits for the debt.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DelinquencyPathTest {
    private static final int PORT = Ports.free();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of("billing_grace_days", "7"));
    private static final long DAY = 86_400;

    private static Database db() {
        return APP.<CaravelApplication>getApplication().database();
    }

    private static void assertStatus(SignedClient.Reply reply, int status) {
        assertEquals(status, reply.status(), reply.body());
    }

    @Test
    void everyPathBackIntoServiceWaitsForTheOverdueInvoice() {
        KeyPair tenant = KeyPair.generate();
        SignedClient client = new SignedClient(PORT, tenant);
        client.post("/tenants", null);
        String delinquent = client.post("/relays", "{\"subdomain\":\"owes\",\"info_name\":\"Owes\",\"plan\":\"basic\"}").data().path("id").asText();
        String paused = client.post("/relays", "{\"subdomain\":\"paused\",\"info_name\":\"Paused\",\"plan\":\"basic\"}").data().path("id").asText();
        String free = client.post("/relays", "{\"subdomain\":\"freeone\",\"info_name\":\"Free\",\"plan\":\"free\"}").data().path("id").asText();
        assertEquals(200, client.post("/relays/" + paused + "/deactivate", null).status());
        long now = System.currentTimeMillis() / 1000;
        String invoice = Ids.random();
        db().invoices().insert(new Invoice(invoice, tenant.pubkey(), now - 40 * DAY, now - 10 * DAY, 10_000, "lnbc1", "h1",
                Invoice.PENDING, now - 8 * DAY, null, null, null, null, null, null, null, now + 20 * DAY, null, null));
        db().relays().setStatus(delinquent, Relay.DELINQUENT, now); // what the collector does past the grace period

        DbSnapshot before = DbSnapshot.of(db().jdbi());
        assertStatus(client.post("/relays/" + delinquent + "/deactivate", null), 400);
        assertStatus(client.post("/relays/" + delinquent + "/activate", null), 409);
        assertStatus(client.post("/relays/" + paused + "/activate", null), 409);
        assertStatus(client.post("/relays", "{\"subdomain\":\"fresh\",\"info_name\":\"F\",\"plan\":\"growth\"}"), 409);
        assertStatus(client.put("/relays/" + free, "{\"plan\":\"basic\"}"), 409);
        assertEquals(before, DbSnapshot.of(db().jdbi()), "no row, no activity, no job");
        assertEquals(Relay.DELINQUENT, db().relays().find(delinquent).orElseThrow().status());

        assertEquals(201, client.post("/relays", "{\"subdomain\":\"stillfree\",\"info_name\":\"F\",\"plan\":\"free\"}").status(),
                "free relays owe nothing");
        assertEquals(200, client.put("/relays/" + paused, "{\"info_name\":\"Renamed\"}").status(), "an inactive relay can be edited");

        db().invoices().markPaid(invoice, now);
        assertEquals("new", client.post("/relays/" + delinquent + "/activate", null).data().path("status").asText());
        assertEquals("new", client.post("/relays/" + paused + "/activate", null).data().path("status").asText());
        assertEquals(200, client.put("/relays/" + free, "{\"plan\":\"basic\"}").status());
    }

    @Test
    void anInvoiceStillInItsGracePeriodHoldsNothingBack() {
        KeyPair tenant = KeyPair.generate();
        SignedClient client = new SignedClient(PORT, tenant);
        client.post("/tenants", null);
        long now = System.currentTimeMillis() / 1000;
        db().invoices().insert(new Invoice(Ids.random(), tenant.pubkey(), now - 32 * DAY, now - 2 * DAY, 10_000, "lnbc1",
                "h2", Invoice.PENDING, now - 2 * DAY, null, null, null, null, null, null, null, now + 28 * DAY, null, null));
        assertEquals(201, client.post("/relays", "{\"subdomain\":\"ingrace\",\"info_name\":\"G\",\"plan\":\"basic\"}").status());
    }
}
