package app.caravel;

import app.caravel.nostr.KeyPair;
import app.caravel.support.AppProcess;
import app.caravel.support.Await;
import app.caravel.support.BillingDates;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.SlowWallets;
import app.caravel.support.TestDatabase;
import app.caravel.support.TestPostgres;
import app.caravel.support.ZooidDouble;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two server processes (two JVMs, {@code server config.yml}) on one PostgreSQL database, as an operator runs
 * them behind one load balancer (one PUBLIC_URL). Nothing is shared but the database: relays written through
 * either reach zooid once per change and in order, a billing run survives one of them being SIGKILLed, and a
 * NIP-98 header used on one is refused by the other.
 */
class TwoServersMultiProcessTest {
    private static final int TENANTS = 200;
    private static final long ANCHOR = BillingDates.ANCHOR;
    /** A month and an hour later: every tenant's first period has closed. */
    private static final long AT = BillingDates.AT;

    @TempDir
    Path dir;

    @Test
    void relaysChangedThroughBothServersReachZooidOncePerChangeInOrderAndReplaysAreRefusedAcrossThem() throws Exception {
        KeyPair platform = KeyPair.generate();
        try (ZooidDouble zooid = ZooidDouble.start(platform.pubkey())) {
            String url;
            try (TestDatabase migrated = new TestDatabase(TestPostgres.newDatabaseUrl())) {
                url = migrated.url();
            }
            int portA = Ports.free();
            int portB = Ports.free();
            Map<String, String> settings = Map.of("database_url", url, "public_url", "http://127.0.0.1:" + portA,
                    "dashboard_port", "0", "zooid_api_url", zooid.url(), "zooid_api_secret", platform.secretHex(),
                    "relay_domain", "relays.example.com");
            Path log = Files.createTempFile("two-servers", ".log");
            try (AppProcess a = AppProcess.start(with(settings, "port", portA), Ports.free(), dir, log);
                 AppProcess b = AppProcess.start(with(settings, "port", portB), Ports.free(), dir, log)) {
                List<KeyPair> tenants = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    tenants.add(KeyPair.generate());
                }
                // A answers "not a tenant" for a new key, B makes it one, and A's very next answer says so:
                // A remembers tenants it has seen (tenancy only ever starts), never a "no"
                KeyPair late = KeyPair.generate();
                String lateRelay = "{\"subdomain\":\"late\",\"info_name\":\"late\",\"plan\":\"free\"}";
                assertFalse(via(portA, portA, late).get("/identity").data().path("is_tenant").asBoolean());
                assertEquals(403, via(portA, portA, late).post("/relays", lateRelay).status(), "nor may it make a relay");
                assertEquals(201, via(portB, portA, late).post("/tenants", null).status());
                assertTrue(via(portA, portA, late).get("/identity").data().path("is_tenant").asBoolean());
                assertTrue(via(portA, portA, late).get("/identity").data().path("is_tenant").asBoolean());
                assertEquals(201, via(portA, portA, late).post("/relays", lateRelay).status(), "A lets it make one now");

                // every request is signed for the one public URL (A's), and sent to A or to B
                Map<String, KeyPair> ownerOf = new HashMap<>();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    KeyPair tenant = tenants.get(i % tenants.size());
                    SignedClient client = via(i % 2 == 0 ? portA : portB, portA, tenant);
                    client.post("/tenants", null);
                    SignedClient.Reply created = client.post("/relays", "{\"subdomain\":\"two-" + i
                            + "\",\"info_name\":\"v1\",\"plan\":\"free\"}");
                    assertEquals(201, created.status(), created.body());
                    ids.add(created.data().path("id").asText());
                    ownerOf.put(ids.get(i), tenant);
                }
                awaitZooid(zooid, ids, id -> "v1");
                // A keeps the first tenant's list rendered; a rename through B shows on A's next read
                SignedClient firstOnA = via(portA, portA, ownerOf.get(ids.get(0)));
                assertEquals("v1", infoName(firstOnA, ids.get(0)));
                // two renames in quick succession, through B then A: zooid must end with the second
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    assertEquals(200, via(portB, portA, ownerOf.get(id)).put("/relays/" + id, "{\"info_name\":\"v2\"}").status());
                    if (i == 0) {
                        assertEquals("v2", infoName(firstOnA, id));
                    }
                    assertEquals(200, via(portA, portA, ownerOf.get(id)).put("/relays/" + id, "{\"info_name\":\"v3\"}").status());
                }
                for (int i = 0; i < 5; i++) {
                    String id = ids.get(i);
                    assertEquals(200, via(i % 2 == 0 ? portB : portA, portA, ownerOf.get(id))
                            .post("/relays/" + id + "/deactivate", null).status());
                }
                awaitZooid(zooid, ids, id -> "v3");
                Await.until("the deactivated relays paused on zooid", Duration.ofSeconds(60),
                        () -> ids.subList(0, 5).stream().allMatch(id -> !zooid.served(id)));
                Thread.sleep(6000); // a job poll and more: any stray or duplicate push would have arrived

                for (int i = 0; i < ids.size(); i++) {
                    List<String> states = zooid.history(ids.get(i)).stream().map(TwoServersMultiProcessTest::state).toList();
                    List<String> changes = i < 5 ? List.of("v1", "v2", "v3", "v3 inactive") : List.of("v1", "v2", "v3");
                    assertTrue(inOrderOnceEach(states, changes) && states.get(0).equals("v1")
                                    && states.get(states.size() - 1).equals(changes.get(changes.size() - 1)),
                            "relay " + i + ": each change at most once, in order, ending with the last (a change "
                                    + "overtaken by the next one before its push may be skipped): " + states);
                }
                assertTrue(zooid.log().stream().noneMatch(line -> line.startsWith("DELETE")), "no DELETE");
                assertTrue(zooid.log().stream().noneMatch(line -> line.endsWith(" 409") || line.endsWith(" 404")),
                        "no server ever raced the other into a conflict: " + zooid.log());

                // a header used on A is refused by B, and the other way round; a fresh one passes on B
                KeyPair tenant = tenants.get(0);
                SignedClient onA = via(portA, portA, tenant);
                SignedClient onB = via(portB, portA, tenant);
                byte[] body = "{\"subdomain\":\"replayed\",\"info_name\":\"R\",\"plan\":\"free\"}".getBytes(StandardCharsets.UTF_8);
                String header = onA.authHeader("POST", "/relays", body);
                assertEquals(201, onA.raw("POST", "/relays", body, header, "application/json").status());
                SignedClient.Reply replayed = onB.raw("POST", "/relays", body, header, "application/json");
                assertEquals(401, replayed.status(), replayed.body());
                assertTrue(replayed.error().contains("already used"), replayed.body());
                byte[] other = "{\"subdomain\":\"replayed-2\",\"info_name\":\"R\",\"plan\":\"free\"}".getBytes(StandardCharsets.UTF_8);
                String second = onB.authHeader("POST", "/relays", other);
                assertEquals(201, onB.raw("POST", "/relays", other, second, "application/json").status(),
                        "B accepts headers for the shared public URL: the refusal above was the replay");
                assertEquals(401, onA.raw("POST", "/relays", other, second, "application/json").status());
            }
        }
    }

    @Test
    void aBillingRunOverBothServersWithOneKilledMidRunInvoicesAndChargesEveryTenantOnce() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (SlowWallets wallets = SlowWallets.start(TENANTS)) {
            List<String> clients;
            String url;
            try (TestDatabase test = new TestDatabase(TestPostgres.newDatabaseUrl())) {
                url = test.url();
                clients = wallets.seedTenants(test.db(), TENANTS, ANCHOR);
            }
            Map<String, String> settings = wallets.serverSettings(url);
            Path log = Files.createTempFile("two-servers-billing", ".log");
            int adminA = Ports.free();
            int adminB = Ports.free();
            Map<String, String> onA = with(settings, "port", Ports.free());
            try (AppProcess b = AppProcess.start(with(settings, "port", Ports.free()), adminB, dir, log)) {
                AppProcess a = AppProcess.start(onA, adminA, dir, log);
                CompletableFuture.runAsync(() -> a.billingTick(AT));
                CompletableFuture.runAsync(() -> b.billingTick(AT));
                Thread.sleep(1000 + random.nextInt(3000));
                a.kill();
                try (AppProcess restarted = AppProcess.start(onA, adminA, dir, log);
                     TestDatabase test = TestDatabase.existing(url)) {
                    wallets.tickUntilEveryTenantPaidOnce(test.db(), clients,
                            () -> (random.nextBoolean() ? restarted : b).billingTick(AT), "seed " + seed + ", log " + log);
                }
            }
            // make_invoice may be asked again for an invoice whose first answer died with the killed process
            // (its lease ran out): that moves no money, and only the BOLT11 that was stored was paid
        }
    }

    /** The info_name of relay {@code id} in the caller's GET /relays. */
    private static String infoName(SignedClient client, String id) {
        for (com.fasterxml.jackson.databind.JsonNode relay : client.get("/relays").data()) {
            if (relay.path("id").asText().equals(id)) {
                return relay.path("info_name").asText();
            }
        }
        throw new AssertionError("relay " + id + " not listed");
    }

    /** A client that sends to {@code port} and signs for the shared public URL on {@code publicPort}. */
    private static SignedClient via(int port, int publicPort, KeyPair keys) {
        return new SignedClient(port, keys).signingFor("http://127.0.0.1:" + publicPort);
    }

    private static void awaitZooid(ZooidDouble zooid, List<String> ids, java.util.function.Function<String, String> name)
            throws InterruptedException {
        Await.until("zooid holds every relay's latest name", Duration.ofSeconds(90), () -> ids.stream()
                .allMatch(id -> zooid.ids().contains(id) && name.apply(id).equals(zooid.config(id).path("info").path("name").asText())));
    }

    /** True when {@code seen} is a subsequence of {@code changes}: no repeat, nothing out of order. */
    private static boolean inOrderOnceEach(List<String> seen, List<String> changes) {
        int next = 0;
        for (String state : seen) {
            int at = changes.subList(next, changes.size()).indexOf(state);
            if (at < 0) {
                return false;
            }
            next += at + 1;
        }
        return !seen.isEmpty();
    }

    private static String state(ObjectNode config) {
        return config.path("info").path("name").asText() + (config.path("inactive").asBoolean() ? " inactive" : "");
    }

    private static Map<String, String> with(Map<String, String> settings, String key, int value) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(key, String.valueOf(value));
        return all;
    }
}
