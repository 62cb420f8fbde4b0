package app.caravel.billing;

import app.caravel.CaravelApplication;
import app.caravel.CaravelConfiguration;
import app.caravel.db.Database;
import app.caravel.db.Invoice;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Await;
import app.caravel.support.BillingDates;
import app.caravel.support.BillingSeed;
import app.caravel.support.Ports;
import app.caravel.support.TestApps;
import app.caravel.support.TestRelay;
import app.caravel.support.WalletService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-out through the real app and JobRunr, against NIP-47 wallets on a loopback relay that answer after
 * 100 ms: 50 tenants, one of whose wallets never answers. Nobody waits for it.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BillingFanOutAppTest {
    static final long ANCHOR = BillingDates.ANCHOR;
    static final long AT = BillingDates.AT;
    private static final int PORT = Ports.free();
    private static final Fixture WALLETS = Fixture.start();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of(
            "nwc_url", WALLETS.platform.uri(KeyPair.generate()), "billing_allow_at", "true",
            "nwc_timeout_seconds", "20"));

    /** The loopback relay and the two wallet services (the platform's, and the one every tenant connects to). */
    record Fixture(TestRelay relay, WalletService.Ledger ledger, WalletService platform, WalletService tenants) {
        static Fixture start() {
            try {
                TestRelay relay = TestRelay.start();
                WalletService.Ledger ledger = new WalletService.Ledger();
                WalletService platform = WalletService.start(relay, ledger, "nip44_v2", "nip04");
                WalletService tenants = WalletService.start(relay, ledger, "nip44_v2", "nip04");
                platform.answerAfter(Duration.ofMillis(100));
                tenants.answerAfter(Duration.ofMillis(100));
                return new Fixture(relay, ledger, platform, tenants);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        void close() throws Exception {
            platform.close();
            tenants.close();
            relay.close();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        WALLETS.close();
    }

    static Database db(DropwizardAppExtension<CaravelConfiguration> app) {
        return app.<CaravelApplication>getApplication().database();
    }

    /** POST /tasks/billing-tick?at=… on the admin port: the whole run, to completion. */
    static JsonNode billingTick(DropwizardAppExtension<CaravelConfiguration> app, long at) throws Exception {
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + app.getAdminPort() + "/tasks/billing-tick?at=" + at))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), reply.body());
        return new ObjectMapper().readTree(reply.body());
    }

    static long count(Database db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void aWalletThatNeverAnswersDelaysNobodyElse() throws Exception {
        Database db = db(APP);
        List<KeyPair> clients = new ArrayList<>();
        KeyPair silent = null;
        for (int i = 0; i < 50; i++) {
            KeyPair client = KeyPair.generate();
            clients.add(client);
            BillingSeed.tenant(db, KeyPair.generate(), WALLETS.tenants.uri(client), "basic", ANCHOR);
            if (i == 17) {
                silent = client;
            }
        }
        WALLETS.tenants.silenceClient(silent.pubkey());

        CompletableFuture<JsonNode> run = CompletableFuture.supplyAsync(() -> {
            try {
                return billingTick(APP, AT);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("49 tenants paid", Duration.ofSeconds(60), () -> count(db, "SELECT count(*) FROM invoices WHERE status = 'paid'") == 49);
        Invoice waiting = db.invoices().listPending().get(0);
        assertNotNull(waiting.payingAt(), "the silent wallet's payment is still in flight...");
        assertNull(waiting.error(), "...and has not timed out yet: the 49 others did not wait for it");

        JsonNode report = run.get(3, java.util.concurrent.TimeUnit.MINUTES);
        assertEquals(50, report.path("invoices").asLong(), report.toString());
        assertEquals(49, report.path("paid").asLong(), report.toString());
        assertTrue(db.invoices().find(waiting.id()).orElseThrow().error().startsWith("TIMEOUT"));
        Map<String, Long> paidBy = WALLETS.ledger.settledByClient();
        assertEquals(49, paidBy.size());
        assertTrue(paidBy.values().stream().allMatch(n -> n == 1), "each paid exactly once: " + paidBy);
    }
}
