package app.caravel.billing;

import app.caravel.CaravelApplication;
import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import app.caravel.support.TestRelay;
import app.caravel.support.WalletService;
import app.caravel.support.ZooidDouble;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole service: a relay goes live, a month later the billing task invoices it and the tenant's wallet pays. */
@ExtendWith(DropwizardExtensionsSupport.class)
class BillingAppTest {
    private static final int PORT = Ports.free();
    private static final KeyPair PLATFORM = KeyPair.generate();
    private static final KeyPair ADMIN = KeyPair.generate();
    private static final TestRelay NWC_RELAY = start(TestRelay::start);
    private static final WalletService.Ledger LEDGER = new WalletService.Ledger();
    private static final WalletService PLATFORM_WALLET = start(() -> WalletService.start(NWC_RELAY, LEDGER, "nip44_v2"));
    private static final WalletService TENANT_WALLET = start(() -> WalletService.start(NWC_RELAY, LEDGER, "nip44_v2", "nip04"));
    private static final ZooidDouble ZOOID = start(() -> ZooidDouble.start(PLATFORM.pubkey()));
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of(
            "zooid_api_url", ZOOID.url(), "zooid_api_secret", PLATFORM.secretHex(), "admins", ADMIN.pubkey(),
            "nwc_url", PLATFORM_WALLET.uri(KeyPair.generate()), "billing_allow_at", "true"));

    interface Starter<T> {
        T start() throws Exception;
    }

    private static <T> T start(Starter<T> starter) {
        try {
            return starter.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        PLATFORM_WALLET.close();
        TENANT_WALLET.close();
        NWC_RELAY.close();
        ZOOID.close();
    }

    private static HttpResponse<String> billingTick(String query) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + APP.getAdminPort() + "/tasks/billing-tick" + query)).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMonthAfterGoingLiveTheRelayIsInvoicedAndPaidFromTheTenantsWallet() throws Exception {
        KeyPair tenant = KeyPair.generate();
        SignedClient client = new SignedClient(PORT, tenant);
        client.post("/tenants", "{\"nwc_url\":\"" + TENANT_WALLET.uri(KeyPair.generate()) + "\"}");
        String id = client.post("/relays", "{\"subdomain\":\"billed\",\"info_name\":\"B\",\"plan\":\"growth\"}")
                .data().path("id").asText();
        CaravelApplication app = APP.getApplication();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (app.database().tenants().find(tenant.pubkey()).orElseThrow().billingAnchor() == null) {
            assertTrue(System.nanoTime() < deadline, "relay never went live");
            Thread.sleep(100);
        }
        long anchor = app.database().tenants().find(tenant.pubkey()).orElseThrow().billingAnchor();
        long periodEnd = Instant.ofEpochSecond(anchor).atZone(ZoneOffset.UTC).plusMonths(1).toEpochSecond();

        HttpResponse<String> early = billingTick("?at=" + (periodEnd - 60));
        assertEquals(200, early.statusCode(), early.body());
        assertEquals(0, client.get("/invoices").data().size(), "the period has not closed");

        HttpResponse<String> tick = billingTick("?at=" + (periodEnd + 60));
        assertEquals(200, tick.statusCode(), tick.body());
        assertTrue(tick.body().contains("\"invoices\":1") && tick.body().contains("\"paid\":1"), tick.body());

        JsonNode invoices = client.get("/invoices").data();
        assertEquals(1, invoices.size());
        JsonNode invoice = invoices.get(0);
        assertEquals("paid", invoice.path("status").asText());
        assertEquals(50_000, invoice.path("amount").asLong(), "a whole month of growth");
        assertEquals(id, invoice.path("items").get(0).path("relay").asText());
        assertEquals(1, TENANT_WALLET.count("pay_invoice"));

        assertEquals(200, billingTick("?at=" + (periodEnd + 3600)).statusCode());
        assertEquals(1, client.get("/invoices").data().size());
        assertEquals(1, TENANT_WALLET.count("pay_invoice"), "paid once");

        SignedClient admin = new SignedClient(PORT, ADMIN);
        SignedClient.Reply close = admin.post("/invoices/" + invoice.path("id").asText() + "/close", null);
        assertEquals(409, close.status(), "a paid invoice can't be closed");
        assertEquals(403, client.post("/invoices/" + invoice.path("id").asText() + "/close", null).status());
        assertTrue(APP.getEnvironment().healthChecks().runHealthCheck("wallet").isHealthy());
    }

    @Test
    void aBadAtIsRefused() throws Exception {
        HttpResponse<String> reply = billingTick("?at=yesterday");
        assertEquals(400, reply.statusCode());
        assertTrue(reply.body().contains("\"error\""));
    }
}
