package app.caravel.infra;

import app.caravel.db.Activity;
import app.caravel.db.Database;
import app.caravel.db.Message;
import app.caravel.robot.RobotNotifier;
import app.caravel.support.MutableClock;
import app.caravel.db.Relay;
import app.caravel.db.Tenant;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip98;
import app.caravel.support.TestDatabase;
import app.caravel.support.ZooidDouble;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The convergence rules against zooid's API on loopback, one sync run at a time. */
class ZooidRelaySyncTest {
    private static final long NOW = 1_764_000_000L;
    private final KeyPair platform = KeyPair.generate();
    private final KeyPair tenant = KeyPair.generate();
    private final MutableClock clock = new MutableClock(NOW);
    private final RobotNotifier notifier = new RobotNotifier(null, clock, false);
    @TempDir
    Path dir;
    private TestDatabase test;
    private Database db;
    private ZooidDouble zooid;
    private ZooidRelaySync sync;

    @BeforeEach
    void setUp() throws Exception {
        test = new TestDatabase(dir);
        db = test.db();
        zooid = ZooidDouble.start(platform.pubkey());
        sync = syncSignedBy(platform);
        db.tenants().insert(new Tenant(tenant.pubkey(), null, null, NOW, null, Tenant.ACTIVE));
    }

    @AfterEach
    void tearDown() throws Exception {
        zooid.close();
        test.close();
    }

    private ZooidRelaySync syncSignedBy(KeyPair signer) {
        ZooidSettings settings = new ZooidSettings(zooid.url(), signer, "relays.example.com",
                Optional.of(new ZooidSettings.Livekit("wss://lk.example.com", "lk-key", "lk-secret")));
        ZooidClient client = new ZooidClient(HttpClient.newHttpClient(), settings, new Nip98(Clock.systemUTC(), 60));
        return new ZooidRelaySync(db, client, new RelayConfigs(settings, db.secrets()), clock, notifier);
    }

    private Relay relay(String subdomain, String plan, boolean blossom, boolean livekit) {
        String id = java.util.UUID.randomUUID().toString();
        Relay relay = new Relay(id, tenant.pubkey(), subdomain, subdomain.replace('-', '_') + "_" + id.substring(0, 8),
                "Relay " + subdomain, "https://example.com/i.png", "about " + subdomain, plan, Relay.NEW, null, null,
                KeyPair.generate().secretHex(), true, false, true, true, blossom, livekit, false, NOW - 10, NOW - 10);
        db.relays().insert(relay);
        return relay;
    }

    private Relay row(String id) {
        return db.relays().find(id).orElseThrow();
    }

    private List<String> activity(String id) {
        return db.activity().forResource(Activity.RELAY, id).stream().map(Activity::activityType).toList();
    }

    @Test
    void aNewRelayIsCreatedOnZooidWithItsExactConfigAndBecomesActive() throws Exception {
        Relay relay = relay("my-relay", "basic", true, true);
        sync.sync(relay.id());

        JsonNode expected = new ObjectMapper().readTree("""
                {"host":"my-relay.relays.example.com","schema":"%s","secret":"%s",
                 "info":{"name":"Relay my-relay","icon":"https://example.com/i.png","pubkey":"%s","description":"about my-relay"},
                 "policy":{"public_join":true,"strip_signatures":false},"groups":{"enabled":true},
                 "management":{"enabled":true},"blossom":{"enabled":true},"push":{"enabled":false},
                 "livekit":{"server_url":"wss://lk.example.com","api_key":"lk-key","api_secret":"lk-secret"},
                 "roles":{"admin":{"pubkeys":["%s"],"can_manage":true,"can_invite":true}},"inactive":false}
                """.formatted(relay.schema(), relay.secret(), tenant.pubkey(), tenant.pubkey()));
        assertEquals(expected, zooid.config(relay.id()));
        Relay after = row(relay.id());
        assertEquals(Relay.ACTIVE, after.status());
        assertEquals(NOW, after.syncedAt());
        assertNull(after.syncError());
        assertEquals(List.of("activate_relay", "complete_relay_sync"), activity(relay.id()));
        assertEquals(NOW, db.tenants().find(tenant.pubkey()).orElseThrow().billingAnchor(), "first paid relay anchors billing");
        assertEquals(List.of("POST " + relay.id() + " 201"), zooid.log());
        List<Message> messages = db.messages().forRecipient(tenant.pubkey());
        assertEquals(1, messages.size());
        assertEquals("relay_activated", messages.get(0).messageType());
        assertTrue(messages.get(0).body().contains("wss://my-relay.relays.example.com"), messages.get(0).body());
    }

    @Test
    void aTenantHearsOnceWhenSyncHasFailedForOverAnHour() throws Exception {
        Relay relay = relay("stuck", "free", false, false);
        zooid.failNext(100, 500);
        for (int minute = 0; minute <= 120; minute += 20) {
            assertThrows(ZooidSyncException.class, () -> sync.sync(relay.id()));
            clock.advance(Duration.ofMinutes(20));
        }
        List<Message> messages = db.messages().forRecipient(tenant.pubkey());
        assertEquals(List.of("sync_failing"), messages.stream().map(Message::messageType).toList());
        assertTrue(messages.get(0).body().contains("wss://stuck.relays.example.com"));
        zooid.failNext(0, 500);
        sync.sync(relay.id());
        assertEquals(List.of("sync_failing", "relay_activated"),
                db.messages().forRecipient(tenant.pubkey()).stream().map(Message::messageType).toList());
    }

    @Test
    void updatesReplaceTheConfigAndAPlanChangeTogglesLivekitAndBlossom() throws Exception {
        Relay relay = relay("switcher", "basic", true, true);
        sync.sync(relay.id());
        assertTrue(zooid.config(relay.id()).has("livekit"));

        db.relays().update(new Relay(relay.id(), relay.tenant(), relay.subdomain(), relay.schema(), "Renamed", "", "",
                "free", relay.status(), null, null, relay.secret(), false, true, false, false, false, false, true,
                relay.createdAt(), NOW));
        sync.sync(relay.id());
        JsonNode config = zooid.config(relay.id());
        assertEquals("Renamed", config.path("info").path("name").asText());
        assertFalse(config.has("livekit"), "no livekit on the free plan");
        assertFalse(config.path("blossom").path("enabled").asBoolean());
        assertTrue(config.path("push").path("enabled").asBoolean());
        assertTrue(config.path("policy").path("strip_signatures").asBoolean());

        db.relays().update(new Relay(relay.id(), relay.tenant(), relay.subdomain(), relay.schema(), "Renamed", "", "",
                "growth", relay.status(), null, null, relay.secret(), false, true, false, false, true, true, true,
                relay.createdAt(), NOW));
        sync.sync(relay.id());
        assertTrue(zooid.config(relay.id()).path("blossom").path("enabled").asBoolean());
        assertEquals("lk-key", zooid.config(relay.id()).path("livekit").path("api_key").asText());
        assertEquals(List.of("POST " + relay.id() + " 201", "PUT " + relay.id() + " 200", "PUT " + relay.id() + " 200"),
                zooid.log());
    }

    @Test
    void deactivationPausesTheRelayAndActivationBringsBackTheSameOneWithoutEverDeletingIt() throws Exception {
        Relay relay = relay("pausing", "free", false, false);
        sync.sync(relay.id());
        JsonNode live = zooid.config(relay.id()).deepCopy();
        assertTrue(zooid.served(relay.id()));

        db.relays().setStatus(relay.id(), Relay.INACTIVE, NOW);
        sync.sync(relay.id());
        sync.sync(relay.id()); // repeating it is harmless: zooid already holds this config, nothing is sent
        JsonNode paused = zooid.config(relay.id());
        assertTrue(paused.path("inactive").asBoolean(), "kept, marked inactive");
        assertFalse(zooid.served(relay.id()));
        assertNull(row(relay.id()).syncError());

        db.relays().setStatus(relay.id(), Relay.NEW, NOW + 60);
        sync.sync(relay.id());
        JsonNode back = zooid.config(relay.id());
        assertEquals(live, back, "the same config, inactive false again");
        assertEquals(relay.secret(), back.path("secret").asText(), "the same identity");
        assertEquals(relay.schema(), back.path("schema").asText(), "the same data");
        assertTrue(zooid.served(relay.id()));
        assertEquals(Relay.ACTIVE, row(relay.id()).status());
        assertEquals(List.of("POST " + relay.id() + " 201", "PUT " + relay.id() + " 200", "PUT " + relay.id() + " 200"),
                zooid.log(), "one push per change, no DELETE, ever");
    }

    @Test
    void pausingARelayZooidNeverHadIsDone() throws Exception {
        Relay relay = relay("never-there", "free", false, false);
        db.relays().setStatus(relay.id(), Relay.INACTIVE, NOW);
        sync.sync(relay.id());
        assertNull(zooid.config(relay.id()));
        assertNull(row(relay.id()).syncError());
        assertEquals(List.of("PUT " + relay.id() + " 404"), zooid.log());
    }

    @Test
    void fiveHundredsAreRecordedAndRetriedUntilZooidRecovers() throws Exception {
        Relay relay = relay("flaky", "basic", false, false);
        zooid.failNext(2, 500);
        ZooidSyncException first = assertThrows(ZooidSyncException.class, () -> sync.sync(relay.id()));
        assertTrue(first.getMessage().startsWith("zooid answered 500"), first.getMessage());
        assertEquals(first.getMessage(), row(relay.id()).syncError());
        assertThrows(ZooidSyncException.class, () -> sync.sync(relay.id()));
        assertEquals(Relay.NEW, row(relay.id()).status());

        sync.sync(relay.id());
        assertNull(row(relay.id()).syncError());
        assertEquals(Relay.ACTIVE, row(relay.id()).status());
        assertEquals(List.of("fail_relay_sync", "fail_relay_sync", "activate_relay", "complete_relay_sync"), activity(relay.id()));
    }

    @Test
    void zooidDownIsATransientFailure() throws Exception {
        Relay relay = relay("offline", "free", false, false);
        zooid.stop();
        ZooidSyncException down = assertThrows(ZooidSyncException.class, () -> sync.sync(relay.id()));
        assertTrue(down.getMessage().startsWith("zooid unreachable"), down.getMessage());
        zooid.restart();
        sync.sync(relay.id());
        assertEquals(Relay.ACTIVE, row(relay.id()).status());
    }

    @Test
    void aConfigLeftOnZooidByACrashedRunIsReplaced() throws Exception {
        Relay relay = relay("half-done", "free", false, false);
        zooid.putForeign(relay.id(), (ObjectNode) new ObjectMapper().readTree(
                "{\"host\":\"half-done.relays.example.com\",\"schema\":\"" + relay.schema() + "\",\"secret\":\""
                        + relay.secret() + "\",\"info\":{\"name\":\"stale\",\"pubkey\":\"" + tenant.pubkey() + "\"}}"));
        sync.sync(relay.id());
        assertEquals("Relay half-done", zooid.config(relay.id()).path("info").path("name").asText());
        assertEquals(List.of("POST " + relay.id() + " 409", "PUT " + relay.id() + " 200"), zooid.log());
        assertEquals(Relay.ACTIVE, row(relay.id()).status());
    }

    @Test
    void aRelayZooidLostIsCreatedAgain() throws Exception {
        Relay relay = relay("forgotten", "free", false, false);
        sync.sync(relay.id());
        // zooid lost its config directory: the sweep (or an operator's resync) forgets what zooid held, and
        // our PUT gets 404 and becomes a POST
        db.relays().forgetSyncedConfig(List.of(relay.id()));
        ZooidDouble fresh = ZooidDouble.start(platform.pubkey());
        ZooidRelaySync syncToFresh = new ZooidRelaySync(db, new ZooidClient(HttpClient.newHttpClient(),
                new ZooidSettings(fresh.url(), platform, "relays.example.com", Optional.empty()),
                new Nip98(Clock.systemUTC(), 60)),
                new RelayConfigs(new ZooidSettings(fresh.url(), platform, "relays.example.com", Optional.empty()), db.secrets()), clock,
                notifier);
        try (fresh) {
            syncToFresh.sync(relay.id());
            assertEquals(List.of("PUT " + relay.id() + " 404", "POST " + relay.id() + " 201"), fresh.log());
            assertTrue(fresh.ids().contains(relay.id()));
        }
    }

    @Test
    void repeatedAndConcurrentRunsEndInTheSameState() throws Exception {
        Relay relay = relay("busy", "basic", true, false);
        for (int i = 0; i < 3; i++) {
            sync.sync(relay.id());
        }
        JsonNode once = zooid.config(relay.id());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(pool.submit(() -> {
                sync.sync(relay.id());
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();
        assertEquals(once, zooid.config(relay.id()));
        assertEquals(1, zooid.ids().size());
        assertEquals(1, activity(relay.id()).stream().filter("activate_relay"::equals).count(), "activated once");
        assertTrue(zooid.log().stream().allMatch(line -> line.endsWith(" 200") || line.endsWith(" 201")), zooid.log().toString());
    }

    @Test
    void aHostTakenBySomeoneElseEndsWithAClearErrorAndNoRetry() throws Exception {
        Relay relay = relay("taken", "free", false, false);
        zooid.putForeign("someone-else", (ObjectNode) new ObjectMapper().readTree(
                "{\"host\":\"taken.relays.example.com\",\"schema\":\"other_schema\",\"secret\":\"" + KeyPair.generate().secretHex()
                        + "\",\"info\":{\"pubkey\":\"" + tenant.pubkey() + "\"}}"));
        sync.sync(relay.id());
        Relay after = row(relay.id());
        assertTrue(after.syncError().startsWith("conflict: zooid already serves host taken.relays.example.com"), after.syncError());
        assertEquals(Relay.NEW, after.status());
        assertEquals(List.of("POST " + relay.id() + " 409", "PUT " + relay.id() + " 404"), zooid.log());
        assertFalse(db.relays().dueForSync(NOW).contains(relay.id()), "the reconcile sweep leaves conflicts alone");
        assertEquals(List.of("fail_relay_sync"), activity(relay.id()));
    }

    @Test
    void aKeyZooidDoesNotKnowIsReportedAsSuch() {
        Relay relay = relay("stranger", "free", false, false);
        ZooidSyncException refused = assertThrows(ZooidSyncException.class,
                () -> syncSignedBy(KeyPair.generate()).sync(relay.id()));
        assertTrue(refused.getMessage().contains("403") && refused.getMessage().contains("whitelist"), refused.getMessage());
    }

    @Test
    void aConfigZooidRefusesIsAPermanentError() throws Exception {
        Relay relay = relay("bad", "free", false, false);
        db.jdbi().useHandle(h -> h.execute("UPDATE relays SET schema = '9-bad' WHERE id = ?", relay.id()));
        sync.sync(relay.id());
        assertEquals("zooid refused the config: schema must contain only letters, numbers, and underscores",
                row(relay.id()).syncError());
    }

    @Test
    void reconcileFindsWhatNeedsASync() throws Exception {
        Relay synced = relay("fine", "free", false, false);
        sync.sync(synced.id());
        Relay never = relay("never", "free", false, false);
        Relay failing = relay("failing", "free", false, false);
        zooid.failNext(1, 503);
        assertThrows(ZooidSyncException.class, () -> sync.sync(failing.id()));
        List<String> due = db.relays().dueForSync(NOW - Duration.ofHours(24).toSeconds());
        assertTrue(due.containsAll(List.of(never.id(), failing.id())), due.toString());
        assertFalse(due.contains(synced.id()));
        assertTrue(db.relays().dueForSync(NOW + 1).contains(synced.id()), "stale after the max age");
    }

    @Test
    void aFailureIsRecordedWithTheRowAsItIsAfterTheCallNotAsItWasBefore() throws Exception {
        Relay relay = relay("racing", "basic", false, false);
        sync.sync(relay.id());
        assertEquals(Relay.ACTIVE, row(relay.id()).status());
        clock.advance(Duration.ofMinutes(5));
        zooid.beforeNextAnswer(() -> db.jdbi().useTransaction(h -> { // the tenant deactivates during the call
            h.attach(app.caravel.db.RelayDao.class).setStatus(relay.id(), Relay.INACTIVE, NOW + 300);
            h.attach(app.caravel.db.ActivityDao.class).insert(Activity.ofRelay("deactivate_relay",
                    h.attach(app.caravel.db.RelayDao.class).find(relay.id()).orElseThrow(), NOW + 300));
        }));
        zooid.failNext(1, 500);
        db.relays().forgetSyncedConfig(List.of(relay.id())); // an operator's resync: the row is pushed again
        assertThrows(ZooidSyncException.class, () -> sync.sync(relay.id()));
        List<Activity> history = db.activity().forResource(Activity.RELAY, relay.id());
        Activity last = history.get(history.size() - 1);
        assertEquals("fail_relay_sync", last.activityType());
        assertEquals("{\"plan\":\"basic\",\"status\":\"inactive\"}", last.snapshot(),
                "billing must not see the relay active again after its deactivation");
    }

    @Test
    void aSyncThatOvertakesASlowOneCannotBeUndoneByIt() throws Exception {
        Relay relay = relay("ordered", "basic", false, false);
        sync.sync(relay.id());
        db.relays().forgetSyncedConfig(List.of(relay.id())); // an operator's resync: the row is pushed again
        java.util.concurrent.CountDownLatch onTheWire = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        zooid.beforeNextAnswer(() -> { // the first push is slow to arrive
            onTheWire.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> slow = pool.submit(() -> {
            sync.sync(relay.id());
            return null;
        });
        assertTrue(onTheWire.await(10, java.util.concurrent.TimeUnit.SECONDS));
        Relay renamed = row(relay.id());
        db.relays().update(new Relay(renamed.id(), renamed.tenant(), renamed.subdomain(), renamed.schema(), "Renamed",
                renamed.icon(), renamed.description(), renamed.plan(), renamed.status(), renamed.syncError(),
                renamed.syncedAt(), renamed.secret(), renamed.publicJoin(), renamed.stripSignatures(), renamed.groups(),
                renamed.management(), renamed.blossom(), renamed.livekit(), renamed.push(), renamed.createdAt(), NOW + 1));
        Future<?> fast = pool.submit(() -> {
            sync.sync(relay.id());
            return null;
        });
        Thread.sleep(300); // the second sync gets every chance to go first
        release.countDown();
        slow.get(10, java.util.concurrent.TimeUnit.SECONDS);
        fast.get(10, java.util.concurrent.TimeUnit.SECONDS);
        pool.shutdown();
        assertEquals("Renamed", zooid.config(relay.id()).path("info").path("name").asText(),
                "zooid ends with the relay's latest config");
    }
    /**
     * The per-relay lease lives in the row: a run of another process holding it makes this one wait, and a
     * holder that died (its lease ran out) blocks nobody.
     */
    @Test
    void aRelayLeasedByAnotherProcessWaitsForItAndADeadHoldersLeaseRunsOut() throws Exception {
        Relay relay = relay("leased", "basic", false, false);
        long now = clock.instant().getEpochSecond();
        assertEquals(1, db.relays().claimSync(relay.id(), "another-process", now, now + ZooidRelaySync.LEASE.toSeconds()));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> waiting = pool.submit(() -> {
            sync.sync(relay.id());
            return null;
        });
        Thread.sleep(500);
        assertTrue(zooid.log().isEmpty(), "nothing pushed while the other process holds the relay: " + zooid.log());
        assertFalse(waiting.isDone());
        clock.advance(ZooidRelaySync.LEASE.plusSeconds(1)); // the holder died: its lease runs out
        waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        pool.shutdown();
        assertEquals(List.of("POST " + relay.id() + " 201"), zooid.log());
        assertEquals(Relay.ACTIVE, row(relay.id()).status());
        assertEquals(1, db.relays().claimSync(relay.id(), "next", clock.instant().getEpochSecond(),
                clock.instant().getEpochSecond() + 1), "the run gave its lease back");
    }
}
