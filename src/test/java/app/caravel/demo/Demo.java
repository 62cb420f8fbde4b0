package app.caravel.demo;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.Bech32;
import app.caravel.nostr.Event;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip17;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import app.caravel.support.TestRelay;
import app.caravel.support.WalletService;
import app.caravel.support.ZooidDouble;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.DropwizardTestSupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * `make demo`: the real service on a temp database beside local stand-ins on loopback (the tests' own: a zooid
 * speaking zooid's API, a Nostr relay, platform and tenant NIP-47 wallets), and one tenant walked through the
 * product with signed requests. Prints each step in a line or two, then stops everything. `--keep` leaves it
 * running to explore until Ctrl-C.
 */
public final class Demo {
    private static final String DOMAIN = "relays.demo.invalid";

    public static void main(String[] args) throws Exception {
        boolean keep = List.of(args).contains("--keep");
        KeyPair zooidKey = KeyPair.generate();
        KeyPair robot = KeyPair.generate();
        KeyPair tenant = KeyPair.generate();
        String dashboardPassword = "demo-" + KeyPair.generate().pubkey().substring(0, 12);
        int port = Ports.free();
        int dashboard = Ports.free();
        WalletService.Ledger ledger = new WalletService.Ledger();
        try (TestRelay relay = TestRelay.start(); ZooidDouble zooid = ZooidDouble.start(zooidKey.pubkey());
             WalletService platformWallet = WalletService.start(relay, ledger, "nip44_v2");
             WalletService tenantWallet = WalletService.start(relay, ledger, "nip44_v2")) {
            say("Stand-ins on loopback: a Nostr relay " + relay.url() + ", zooid's API " + zooid.url()
                    + ", the platform's and the tenant's Lightning wallets (NIP-47 over that relay).");
            DropwizardTestSupport<CaravelConfiguration> app = TestApps.support(port, Map.ofEntries(
                    Map.entry("zooid_api_url", zooid.url()), Map.entry("zooid_api_secret", zooidKey.secretHex()),
                    Map.entry("relay_domain", DOMAIN), Map.entry("nwc_url", platformWallet.uri(KeyPair.generate())),
                    Map.entry("robot_secret", robot.secretHex()), Map.entry("robot_outbox_relays", relay.url()),
                    Map.entry("robot_indexer_relays", relay.url()), Map.entry("robot_messaging_relays", relay.url()),
                    Map.entry("billing_allow_at", "true"), Map.entry("dashboard_port", String.valueOf(dashboard)),
                    Map.entry("dashboard_password", dashboardPassword), Map.entry("logging.level", "WARN"),
                    Map.entry("app_url", "http://localhost:5173")));
            app.before();
            try {
                walk(app, port, tenant, zooid, relay, tenantWallet, ledger);
                say("");
                say("While it ran: API http://127.0.0.1:" + port + " (try GET /plans), admin http://127.0.0.1:"
                        + app.getAdminPort() + "/healthcheck, JobRunr dashboard http://127.0.0.1:" + dashboard
                        + " (admin / " + dashboardPassword + ").");
                if (keep) {
                    say("--keep: running until Ctrl-C. Call it as any key, e.g.: java -jar target/caravel.jar call "
                            + "POST /tenants --url http://127.0.0.1:" + port + " --key <a file holding a hex key>");
                    Thread.currentThread().join();
                }
            } finally {
                app.after();
            }
        }
        say("Stopped and cleaned up (the database was a temp file). The service's own log: target/demo-service.log");
        System.exit(0);
    }

    private static void walk(DropwizardTestSupport<CaravelConfiguration> app, int port, KeyPair tenant, ZooidDouble zooid,
                             TestRelay relay, WalletService wallet, WalletService.Ledger ledger) throws Exception {
        SignedClient client = new SignedClient(port, tenant);
        String npub = Bech32.encode("npub", tenant.pubkeyBytes());
        SignedClient.Reply created = client.post("/tenants", "{\"nwc_url\":\"" + wallet.uri(KeyPair.generate()) + "\"}");
        say("1. Tenant " + npub.substring(0, 20) + "… signed up (POST /tenants, NIP-98 signed): " + created.status()
                + ", wallet connected: " + created.data().path("nwc_is_set").asBoolean() + " (its URL is stored sealed).");

        JsonNode relayView = client.post("/relays", "{\"subdomain\":\"demo\",\"info_name\":\"Demo community\",\"plan\":\"basic\"}").data();
        String id = relayView.path("id").asText();
        await(() -> "active".equals(client.get("/relays/" + id).data().path("status").asText()));
        JsonNode config = zooid.config(id);
        say("2. Relay wss://demo." + DOMAIN + " created on the basic plan (10,000 sats/month) and pushed to zooid: "
                + "host " + config.path("host").asText() + ", schema " + config.path("schema").asText()
                + "; the relay is now " + client.get("/relays/" + id).data().path("status").asText() + ".");

        long anchor = client.get("/tenants/" + tenant.pubkey()).data().path("billing_anchor").asLong();
        long monthLater = anchor + 31 * 86_400L + 3600;
        JsonNode run = billingTick(app.getAdminPort(), monthLater);
        say("3. A month later (billing-tick at=" + monthLater + "): " + run.path("invoices").asInt() + " invoice made, "
                + run.path("paid").asInt() + " paid, in " + run.path("seconds").asInt() + " s.");
        JsonNode invoice = client.get("/tenants/" + tenant.pubkey() + "/invoices").data().get(0);
        say("4. Invoice " + invoice.path("amount").asLong() + " sats, status " + invoice.path("status").asText()
                + ": paid from the tenant's wallet (its ledger: " + ledger.settledCount() + " payment settled).");

        assertThat(client.post("/relays/" + id + "/deactivate", null).status() == 200, "deactivation");
        await(() -> zooid.config(id).path("inactive").asBoolean());
        say("5. Relay deactivated: zooid keeps its config with inactive=true (paused, not deleted: its members and"
                + " events stay for a reactivation).");

        await(() -> relay.events(1059).size() >= 2); // relay live, invoice made
        say("6. What the robot told the tenant (NIP-17 gift-wrapped DMs, opened here with the tenant's key):");
        Set<String> shown = new HashSet<>();
        for (Event wrap : relay.events(1059)) {
            try {
                String text = Nip17.open(wrap, tenant).content();
                if (shown.add(text)) {
                    say("   • " + text.replace("\n", " ").replaceAll("lnbc\\S{20,}", "lnbc…"));
                }
            } catch (RuntimeException notForTheTenant) {
                // a wrap for someone else
            }
        }
    }

    private static JsonNode billingTick(int adminPort, long at) throws Exception {
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + adminPort + "/tasks/billing-tick?at=" + at))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.body());
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo waited a minute for a step that did not happen");
            }
            Thread.sleep(200);
        }
    }

    private static void assertThat(boolean ok, String step) {
        if (!ok) {
            throw new IllegalStateException("the demo's " + step + " failed");
        }
    }

    /** The story goes to stderr; the service's own log (stdout) is kept apart by `make demo`. */
    private static void say(String line) {
        System.err.println(line);
    }
}
