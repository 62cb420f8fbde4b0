package app.caravel.infra;

import app.caravel.CaravelApplication;
import app.caravel.CaravelConfiguration;
import app.caravel.db.Relay;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Await;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import app.caravel.support.ZooidDouble;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API, JobRunr's workers and zooid's API on loopback, together: relays appear, change and leave. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProvisioningAppTest {
    private static final int PORT = Ports.free();
    private static final KeyPair PLATFORM = KeyPair.generate();
    private static final ZooidDouble ZOOID = ZooidDouble.startFor(PLATFORM.pubkey());
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of(
            "zooid_api_url", ZOOID.url(), "zooid_api_secret", PLATFORM.secretHex(),
            "relay_domain", "relays.example.com"));
    private static final Duration WAIT = Duration.ofSeconds(40);


    @AfterAll
    static void stopZooid() {
        ZOOID.close();
    }

    private static CaravelApplication app() {
        return APP.getApplication();
    }

    /** The relay's key as it is stored, opened. */
    private static String relayKey(String id) {
        return app().database().secrets().open(row(id).secret());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, WAIT, condition);
    }

    private static SignedClient tenant() {
        SignedClient client = new SignedClient(PORT, KeyPair.generate());
        client.post("/tenants", null);
        return client;
    }

    private static Relay row(String id) {
        return app().database().relays().find(id).orElseThrow();
    }

    @Test
    void aRelayIsProvisionedChangedAndRemovedThroughTheApi() throws Exception {
        SignedClient client = tenant();
        String id = client.post("/relays", "{\"subdomain\":\"e2e\",\"info_name\":\"E2E\",\"plan\":\"basic\",\"blossom_enabled\":true}")
                .data().path("id").asText();
        await("config on zooid", () -> ZOOID.config(id) != null);
        await("relay active", () -> Relay.ACTIVE.equals(row(id).status()));
        assertEquals("e2e.relays.example.com", ZOOID.config(id).path("host").asText());
        assertEquals(relayKey(id), ZOOID.config(id).path("secret").asText(), "the key goes to zooid, sealed at rest");
        assertEquals("active", client.get("/relays/" + id).data().path("status").asText());

        assertEquals(200, client.put("/relays/" + id, "{\"plan\":\"free\"}").status());
        await("blossom off on zooid", () -> !ZOOID.config(id).path("blossom").path("enabled").asBoolean());

        assertEquals(200, client.post("/relays/" + id + "/deactivate", null).status());
        await("relay paused on zooid", () -> !ZOOID.served(id) && ZOOID.config(id) != null);
        assertEquals(Relay.INACTIVE, row(id).status());
        assertNull(row(id).syncError());

        assertEquals(200, client.post("/relays/" + id + "/activate", null).status());
        await("relay back on zooid", () -> ZOOID.config(id) != null && Relay.ACTIVE.equals(row(id).status()));
    }

    @Test
    void aFailingZooidIsRetriedByJobRunrUntilItRecovers() throws Exception {
        ZOOID.failNext(1, 502);
        String id = tenant().post("/relays", "{\"subdomain\":\"retry-me\",\"info_name\":\"R\",\"plan\":\"free\"}")
                .data().path("id").asText();
        await("the failure recorded", () -> row(id).syncError() != null);
        assertTrue(row(id).syncError().startsWith("zooid answered 502"), row(id).syncError());
        await("the retry succeeded", () -> ZOOID.config(id) != null && row(id).syncError() == null);
        assertEquals(Relay.ACTIVE, row(id).status());
    }

    @Test
    void aLongOutageIsHealedByTheReconcileSweep() throws Exception {
        ZOOID.stop();
        try {
            String id = tenant().post("/relays", "{\"subdomain\":\"outage\",\"info_name\":\"O\",\"plan\":\"free\"}")
                    .data().path("id").asText();
            await("the failure recorded", () -> row(id).syncError() != null);
            assertTrue(row(id).syncError().startsWith("zooid unreachable"));
            // the retry window runs out: JobRunr's remaining retries for this relay are gone
            RelayReconciler reconciler = app().jobHandlers().activateJob(RelayReconciler.class);
            await("the retry scheduled", () -> reconciler.hasPendingSync(id));
            long until = System.nanoTime() + WAIT.toNanos();
            while (reconciler.hasPendingSync(id)) {
                // a retry may be running right now: it fails (zooid is down) and is rescheduled, then removed
                List<String> pending = app().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM jobrunr_jobs WHERE jobAsJson LIKE :arg AND state IN ('SCHEDULED', 'ENQUEUED', 'AWAITING')")
                        .bind("arg", "%" + id + "%").mapTo(String.class).list());
                pending.forEach(job -> app().jobs().storage().deletePermanently(UUID.fromString(job)));
                assertTrue(System.nanoTime() < until, "the retries never stopped");
                Thread.sleep(100);
            }
            assertFalse(reconciler.hasPendingSync(id));

            ZOOID.restart();
            assertTrue(reconciler.reconcile() >= 1);
            assertTrue(reconciler.hasPendingSync(id) || ZOOID.config(id) != null);
            int again = reconciler.reconcile();
            assertEquals(0, again, "a second sweep does not pile a job on a pending (or finished) one");
            await("healed", () -> ZOOID.config(id) != null && row(id).syncError() == null);
            assertEquals(Relay.ACTIVE, row(id).status());
        } finally {
            if (ZOOID.port() > 0) {
                try {
                    ZOOID.restart();
                } catch (IOException alreadyUp) {
                    // restarted by the test
                }
            }
        }
    }

    @Test
    void theHealthCheckSaysWhetherZooidAcceptsUs() throws Exception {
        var health = APP.getEnvironment().healthChecks();
        assertTrue(health.runHealthCheck("zooid").isHealthy(), health.runHealthCheck("zooid").getMessage());
        ZOOID.stop();
        try {
            assertFalse(health.runHealthCheck("zooid").isHealthy());
        } finally {
            ZOOID.restart();
        }
    }

    @Test
    void theResyncTaskEnqueuesEveryRelayOnce() throws Exception {
        String id = tenant().post("/relays", "{\"subdomain\":\"resync\",\"info_name\":\"S\",\"plan\":\"free\"}")
                .data().path("id").asText();
        await("synced", () -> ZOOID.config(id) != null && row(id).syncedAt() != null);
        ZOOID.putForeign(id, ((com.fasterxml.jackson.databind.node.ObjectNode) ZOOID.config(id).deepCopy())
                .put("secret", KeyPair.generate().secretHex()));
        var reply = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/tasks/resync-relays"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode());
        assertTrue(reply.body().startsWith("enqueued "), reply.body());
        await("the drifted config put right", () -> relayKey(id).equals(ZOOID.config(id).path("secret").asText()));
    }
}
