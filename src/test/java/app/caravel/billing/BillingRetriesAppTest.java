package app.caravel.billing;

import app.caravel.CaravelConfiguration;
import app.caravel.db.Database;
import app.caravel.db.Invoice;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip47;
import app.caravel.support.Await;
import app.caravel.support.BillingSeed;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import app.caravel.support.WalletService;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static app.caravel.billing.BillingFanOutAppTest.ANCHOR;
import static app.caravel.billing.BillingFanOutAppTest.AT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each tenant's job is retried alone: a platform error for one tenant, a wallet that refused, a new wallet. */
@ExtendWith(DropwizardExtensionsSupport.class)
class BillingRetriesAppTest {
    private static final int PORT = Ports.free();
    private static final BillingFanOutAppTest.Fixture WALLETS = BillingFanOutAppTest.Fixture.start();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of(
            "nwc_url", WALLETS.platform().uri(KeyPair.generate()), "billing_allow_at", "true"));

    @AfterAll
    static void stop() throws Exception {
        WALLETS.close();
    }

    @Test
    void oneTenantsFailureHoldsBackNobodyAndANewWalletPaysAtOnce() throws Exception {
        Database db = BillingFanOutAppTest.db(APP);
        KeyPair growth = KeyPair.generate();
        BillingSeed.tenant(db, growth, WALLETS.tenants().uri(KeyPair.generate()), "growth", ANCHOR);
        KeyPair broke = KeyPair.generate();
        try (WalletService empty = WalletService.start(WALLETS.relay(), WALLETS.ledger(), "nip44_v2")) {
            empty.failPaymentsWith(Nip47.ErrorCode.INSUFFICIENT_BALANCE);
            BillingSeed.tenant(db, broke, empty.uri(KeyPair.generate()), "basic", ANCHOR);
            for (int i = 0; i < 8; i++) {
                BillingSeed.tenant(db, KeyPair.generate(), WALLETS.tenants().uri(KeyPair.generate()), "basic", ANCHOR);
            }
            // the platform wallet fails the growth tenant's make_invoice (50,000 sats), and only that one
            WALLETS.platform().failMakeInvoiceWhen(params -> params.path("amount").asLong() == 50_000_000L);

            JsonNode report = BillingFanOutAppTest.billingTick(APP, AT);
            assertEquals(9, report.path("invoices").asLong(), "everyone else invoiced in the same run: " + report);
            assertEquals(8, report.path("paid").asLong(), report.toString());
            assertTrue(report.path("retrying").asLong() >= 1, "the growth tenant's job waits for its retry: " + report);
            Invoice claimed = db.invoices().listByTenant(growth.pubkey()).get(0);
            assertNull(claimed.bolt11(), "claimed, not made: no second invoice can appear for that period");
            Invoice refused = db.invoices().listByTenant(broke.pubkey()).get(0);
            assertTrue(refused.error().startsWith("INSUFFICIENT_BALANCE"), refused.error());

            WALLETS.platform().failMakeInvoiceWhen(null);
            Await.until("the growth tenant's retry", Duration.ofSeconds(90),
                    () -> db.invoices().find(claimed.id()).orElseThrow().bolt11() != null);
            assertEquals(1, db.invoices().listByTenant(growth.pubkey()).size());

            // the broke tenant connects another wallet: its invoice is paid at once, not a day later
            KeyPair client = KeyPair.generate();
            SignedClient.Reply set = new SignedClient(PORT, broke).put("/tenants/" + broke.pubkey() + "/billing",
                    "{\"nwc_url\":\"" + WALLETS.tenants().uri(client) + "\"}");
            assertEquals(200, set.status(), set.body());
            long started = System.nanoTime();
            Await.until("paid from the new wallet", Duration.ofSeconds(20),
                    () -> Invoice.PAID.equals(db.invoices().find(refused.id()).orElseThrow().status()));
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(12).toNanos(), "within a job poll or two");
            assertEquals(Map.of(client.pubkey(), 1L), Map.of(client.pubkey(),
                    WALLETS.ledger().settledByClient().get(client.pubkey())));
            assertEquals(1, empty.count("pay_invoice"), "the old wallet was asked once, the day before");
        }
    }
}
