package app.caravel.nostr;

import app.caravel.support.Await;
import app.caravel.support.Ports;
import app.caravel.support.TestRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay client against a real NIP-01 relay over loopback websockets. */
class RelayClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final KeyPair alice = Vectors.fixtureKey(0);
    private final KeyPair bob = Vectors.fixtureKey(1);
    private TestRelay relay;
    private RelayPool pool;

    @BeforeEach
    void start() throws Exception {
        relay = TestRelay.start();
        pool = new RelayPool(HttpClient.newHttpClient(), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws Exception {
        pool.close();
        relay.close();
    }

    @Test
    void publishWaitsForOkAndTheEventCanBeQueriedBack() {
        Event note = Event.sign(alice, 1764000000L, 1, List.of(List.of("t", "caravel")), "hello");
        Map<String, RelayPool.PublishResult> results = pool.publish(note, List.of(relay.url()), TIMEOUT);
        assertTrue(results.get(relay.url()).accepted(), results.toString());
        assertEquals(List.of(note), relay.events());

        List<Event> found = pool.query(List.of(relay.url()),
                List.of(Filter.authorsKinds(List.of(alice.pubkey()), List.of(1)).withTag("t", List.of("caravel"))), TIMEOUT);
        assertEquals(List.of(note), found);
        assertEquals(List.of(), pool.query(List.of(relay.url()),
                List.of(Filter.authorsKinds(List.of(bob.pubkey()), List.of(1))), TIMEOUT));
    }

    @Test
    void replaceableEventsAreReplacedByNewerOnes() {
        Event older = Event.sign(alice, 1764000000L, 10002, List.of(List.of("r", "wss://a.example")), "");
        Event newer = Event.sign(alice, 1764000100L, 10002, List.of(List.of("r", "wss://b.example")), "");
        assertTrue(pool.publish(older, List.of(relay.url()), TIMEOUT).get(relay.url()).accepted());
        assertTrue(pool.publish(newer, List.of(relay.url()), TIMEOUT).get(relay.url()).accepted());
        Event stale = Event.sign(alice, 1763999000L, 10002, List.of(List.of("r", "wss://c.example")), "");
        pool.publish(stale, List.of(relay.url()), TIMEOUT);

        List<Event> lists = pool.query(List.of(relay.url()),
                List.of(Filter.authorsKinds(List.of(alice.pubkey()), List.of(10002))), TIMEOUT);
        assertEquals(List.of(newer), lists);
    }

    @Test
    void aForgedSignatureIsRefusedByTheRelayAndForgedEventsFromARelayAreDropped() {
        Event real = Event.sign(alice, 1764000000L, 1, List.of(), "real");
        Event forged = new Event(real.id(), real.pubkey(), real.createdAt(), real.kind(), real.tags(), real.content(),
                Event.sign(bob, 1764000000L, 1, List.of(), "real").sig());
        RelayPool.PublishResult result = pool.publish(forged, List.of(relay.url()), TIMEOUT).get(relay.url());
        assertFalse(result.accepted());
        assertTrue(result.message().startsWith("invalid:"), result.message());
        assertTrue(relay.events().isEmpty());

        relay.store(forged);
        assertEquals(List.of(), pool.query(List.of(relay.url()),
                List.of(Filter.authorsKinds(List.of(alice.pubkey()), List.of(1))), TIMEOUT));
    }

    @Test
    void liveSubscriptionSeesNewEventsAfterEose() throws Exception {
        RelayConnection connection = pool.connection(relay.url()).get(2, TimeUnit.SECONDS);
        List<Event> seen = new CopyOnWriteArrayList<>();
        RelayConnection.Subscription subscription = connection.subscribe(
                List.of(Filter.authorsKinds(List.of(bob.pubkey()), List.of(1059))), seen::add, TIMEOUT);
        assertEquals(List.of(), subscription.eose().get(2, TimeUnit.SECONDS));

        try (RelayPool other = new RelayPool(HttpClient.newHttpClient(), Duration.ofSeconds(2))) {
            Event wrap = Event.sign(bob, 1764000000L, 1059, List.of(List.of("p", alice.pubkey())), "x");
            assertTrue(other.publish(wrap, List.of(relay.url()), TIMEOUT).get(relay.url()).accepted());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of(wrap), seen);
        }
        subscription.close();
    }

    @Test
    void closedEndsAQueryWithTheRelaysReason() throws Exception {
        relay.closeSubscriptionsWith("auth-required: sign in first");
        RelayConnection connection = pool.connection(relay.url()).get(2, TimeUnit.SECONDS);
        RelayConnection.Subscription subscription = connection.subscribe(
                List.of(Filter.authorsKinds(List.of(alice.pubkey()), List.of(0))), e -> { }, TIMEOUT);
        assertEquals(List.of(), subscription.eose().get(2, TimeUnit.SECONDS));
        assertEquals("auth-required: sign in first", subscription.closedReason());
    }

    @Test
    void noticesAreKeptForOperators() throws Exception {
        RelayConnection connection = pool.connection(relay.url()).get(2, TimeUnit.SECONDS);
        // the client's handshake can complete before the relay has registered the socket: a notice sent
        // in between reaches nobody
        Await.until("the relay to register the socket", TIMEOUT, () -> relay.connectionsOpen() > 0);
        relay.notice("rate limited: slow down");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (connection.lastNotice() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("rate limited: slow down", connection.lastNotice());
    }

    @Test
    void aSilentRelayTimesOutWithinTheDeadline() {
        relay.setSilent(true);
        Event note = Event.sign(alice, 1764000000L, 1, List.of(), "anyone?");
        long start = System.nanoTime();
        RelayPool.PublishResult result = pool.publish(note, List.of(relay.url()), Duration.ofMillis(700))
                .get(relay.url());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertFalse(result.accepted());
        assertTrue(result.message().startsWith("error:"), result.message());
        assertTrue(elapsedMs < 3000, "bounded wait, took " + elapsedMs + " ms");
    }

    @Test
    void reconnectsAfterTheRelayComesBack() throws Exception {
        Event first = Event.sign(alice, 1764000000L, 1, List.of(), "one");
        assertTrue(pool.publish(first, List.of(relay.url()), TIMEOUT).get(relay.url()).accepted());
        relay.stop();
        Event second = Event.sign(alice, 1764000001L, 1, List.of(), "two");
        assertFalse(pool.publish(second, List.of(relay.url()), Duration.ofSeconds(2)).get(relay.url()).accepted());
        relay.restart();
        assertTrue(pool.publish(second, List.of(relay.url()), TIMEOUT).get(relay.url()).accepted());
    }

    @Test
    void severalRelaysAnswerEachForItself() throws Exception {
        try (TestRelay picky = TestRelay.start()) {
            picky.rejectWhen(e -> "blocked: not on the allow list");
            String down = "ws://127.0.0.1:" + Ports.free();
            Event note = Event.sign(alice, 1764000000L, 1, List.of(), "fan out");
            Map<String, RelayPool.PublishResult> results =
                    pool.publish(note, List.of(relay.url(), picky.url(), down), TIMEOUT);
            assertTrue(results.get(relay.url()).accepted());
            assertEquals(new RelayPool.PublishResult(picky.url(), false, "blocked: not on the allow list"),
                    results.get(picky.url()));
            assertFalse(results.get(down).accepted());
            assertTrue(results.get(down).message().startsWith("error:"));

            Event other = Event.sign(bob, 1764000000L, 1, List.of(), "elsewhere");
            picky.rejectWhen(e -> null);
            pool.publish(other, List.of(picky.url()), TIMEOUT);
            List<Event> merged = pool.query(List.of(relay.url(), picky.url(), down),
                    List.of(new Filter(null, null, List.of(1), Map.of(), null, null, null)), TIMEOUT);
            assertEquals(2, merged.size());
        }
    }
}
