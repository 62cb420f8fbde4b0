package app.caravel.api;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.Event;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A per-request NIP-98 signature is claimed in the request's own write transaction, or when its answer is
 * decided if it commits none: copies of one header raced at the server change state once, and a signature that
 * was refused, rolled back or changed nothing cannot be replayed either.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReplayClaimTest {
    private static final int PORT = Ports.free();
    private static final KeyPair OWNER = KeyPair.generate();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of());
    private static final SignedClient CLIENT = new SignedClient(PORT, OWNER);

    @BeforeAll
    static void tenant() {
        assertEquals(201, CLIENT.post("/tenants", null).status());
    }

    private static Jdbi jdbi() {
        return ((app.caravel.CaravelApplication) APP.getApplication()).database().jdbi();
    }

    private static int count(String sql, String value) {
        return jdbi().withHandle(h -> h.createQuery(sql).bind(0, value).mapTo(Integer.class).one());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String signatureOf(String header) {
        String json = new String(Base64.getDecoder().decode(header.substring("Nostr ".length())), StandardCharsets.UTF_8);
        return Event.fromJson(json).sig();
    }

    @Test
    void copiesOfOneHeaderRacedAtTheServerCreateOneRelay() throws Exception {
        byte[] body = utf8("{\"subdomain\":\"raced\",\"info_name\":\"Raced\",\"plan\":\"free\"}");
        String header = CLIENT.authHeader("POST", "/relays", body);
        int copies = 16;
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SignedClient.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            replies.add(pool.submit(() -> {
                start.await();
                return CLIENT.raw("POST", "/relays", body, header, "application/json");
            }));
        }
        start.countDown();
        int created = 0;
        int refused = 0;
        for (Future<SignedClient.Reply> reply : replies) {
            SignedClient.Reply r = reply.get();
            if (r.status() == 201) {
                created++;
            } else {
                assertEquals(401, r.status(), r.body());
                assertTrue(r.error().contains("already used"), r.body());
                refused++;
            }
        }
        pool.shutdown();
        assertEquals(1, created, "one copy creates the relay");
        assertEquals(copies - 1, refused);
        assertEquals(1, count("SELECT COUNT(*) FROM relays WHERE subdomain = ?", "raced"));
        String id = jdbi().withHandle(h -> h.createQuery("SELECT id FROM relays WHERE subdomain = 'raced'")
                .mapTo(String.class).one());
        assertEquals(1, count("SELECT COUNT(*) FROM activity WHERE resource_id = ?", id), "one create_relay");
        assertEquals(1, count("SELECT COUNT(*) FROM jobrunr_jobs WHERE jobAsJson LIKE ?", "%" + id + "%"),
                "one sync job");
        assertEquals(1, count("SELECT COUNT(*) FROM nip98_replays WHERE signature = ?", signatureOf(header)));
    }

    @Test
    void aRefusedRequestsHeaderCannotBeReplayed() {
        byte[] bad = utf8("{\"subdomain\":\"-bad-\",\"info_name\":\"Bad\",\"plan\":\"free\"}");
        String header = CLIENT.authHeader("POST", "/relays", bad);
        assertEquals(422, CLIENT.raw("POST", "/relays", bad, header, "application/json").status());
        SignedClient.Reply replay = CLIENT.raw("POST", "/relays", bad, header, "application/json");
        assertEquals(401, replay.status(), replay.body());
        assertTrue(replay.error().contains("already used"), replay.body());
    }

    @Test
    void aRolledBackRequestsHeaderCannotBeReplayed() {
        assertEquals(201, CLIENT.post("/relays", "{\"subdomain\":\"taken\",\"info_name\":\"T\",\"plan\":\"free\"}").status());
        byte[] again = utf8("{\"subdomain\":\"taken\",\"info_name\":\"T2\",\"plan\":\"free\"}");
        String header = CLIENT.authHeader("POST", "/relays", again);
        // the relay insert fails on the unique key inside the transaction that held the claim: both roll back
        SignedClient.Reply conflict = CLIENT.raw("POST", "/relays", again, header, "application/json");
        assertEquals(409, conflict.status(), conflict.body());
        assertEquals(1, count("SELECT COUNT(*) FROM nip98_replays WHERE signature = ?", signatureOf(header)),
                "claimed on its own once the answer was decided");
        assertEquals(401, CLIENT.raw("POST", "/relays", again, header, "application/json").status());
    }

    @Test
    void aRequestThatChangesNothingStillUsesUpItsHeader() {
        String id = CLIENT.post("/relays", "{\"subdomain\":\"steady\",\"info_name\":\"S\",\"plan\":\"free\"}").data()
                .path("id").asText();
        String path = "/relays/" + id + "/activate";
        String header = CLIENT.authHeader("POST", path, null);
        assertEquals(200, CLIENT.raw("POST", path, null, header, null).status(), "already up: nothing to write");
        assertEquals(401, CLIENT.raw("POST", path, null, header, null).status());
    }
}
