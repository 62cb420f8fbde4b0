package app.caravel.robot;

import app.caravel.db.Database;
import app.caravel.db.Ids;
import app.caravel.db.Message;
import app.caravel.jobs.JobQueue;
import app.caravel.jobs.PendingJobs;
import app.caravel.nostr.Event;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip17;
import app.caravel.nostr.Nip59;
import app.caravel.nostr.RelayPool;
import app.caravel.support.MutableClock;
import app.caravel.support.TestDatabase;
import app.caravel.support.TestRelay;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The robot against real NIP-01 relays on loopback: its profile, and DMs a tenant can open. */
class RobotTest {
    private static final long NOW = 1_764_000_000L;
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private final KeyPair robotKeys = KeyPair.generate();
    private final KeyPair tenant = KeyPair.generate();
    private final MutableClock clock = new MutableClock(NOW);
    @TempDir
    Path dir;
    private TestDatabase test;
    private Database db;
    private TestRelay outbox;
    private TestRelay indexer;
    private TestRelay messaging;
    private TestRelay inbox;
    private RelayPool pool;
    private RobotSettings robot;
    private DmSender sender;

    @BeforeEach
    void setUp() throws Exception {
        test = new TestDatabase(dir);
        db = test.db();
        outbox = TestRelay.start();
        indexer = TestRelay.start();
        messaging = TestRelay.start();
        inbox = TestRelay.start();
        pool = new RelayPool(HttpClient.newHttpClient(), Duration.ofSeconds(2));
        robot = new RobotSettings(robotKeys, "Caravel", "Hosts your relays", "https://example.com/r.png",
                List.of(outbox.url()), List.of(indexer.url()), List.of(messaging.url()));
        sender = new DmSender(db, robot, new InboxRelays(pool, robot.indexerRelays(), robot.messagingRelays(), clock,
                Duration.ofMinutes(10), TIMEOUT), pool, clock, TIMEOUT);
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.close();
        for (TestRelay relay : List.of(outbox, indexer, messaging, inbox)) {
            relay.close();
        }
        test.close();
    }

    private String message(String text) {
        Message message = new Message(Ids.random(), tenant.pubkey(), "relay_activated", "relay", "r1",
                "test:" + Ids.random(), text, Message.PENDING, null, null, null, 0, null, NOW, null);
        db.messages().insert(message);
        return message.id();
    }

    private void tenantPublishes(TestRelay where, int kind, List<List<String>> tags) {
        where.store(Event.sign(tenant, NOW - 100, kind, tags, ""));
    }

    private Event onlyWrap(TestRelay relay) {
        List<Event> wraps = relay.events(1059);
        assertEquals(1, wraps.size(), "exactly one gift wrap on " + relay.url());
        return wraps.get(0);
    }

    @Test
    void theProfileAndRelayListsLandAndReplaceOlderOnes() throws Exception {
        ProfilePublisher publisher = new ProfilePublisher(robot, pool, clock, TIMEOUT);
        publisher.run(new PublishProfileJob());
        clock.advance(Duration.ofDays(1));
        publisher.run(new PublishProfileJob());

        assertEquals(3, outbox.events().size(), "one of each kind after two runs");
        Event profile = outbox.events(0).get(0);
        assertEquals(NOW + 86400, profile.createdAt());
        assertEquals(robotKeys.pubkey(), profile.pubkey());
        var content = new ObjectMapper().readTree(profile.content());
        assertEquals("Caravel", content.path("name").asText());
        assertEquals("Hosts your relays", content.path("about").asText());
        assertEquals("https://example.com/r.png", content.path("picture").asText());
        assertEquals(List.of(outbox.url()), outbox.events(10002).get(0).tagValues("r"));
        assertEquals(List.of(messaging.url()), outbox.events(10050).get(0).tagValues("relay"));
        assertTrue(outbox.events().stream().allMatch(Event::verify));
    }

    @Test
    void aDmGoesToTheRecipientsInboxAndOpensWithItsKey() {
        tenantPublishes(indexer, 10050, List.of(List.of("relay", inbox.url())));
        String id = message("Your relay wss://x.relays.example.com is live.");
        sender.run(new SendDmJob(id));

        Event wrap = onlyWrap(inbox);
        assertEquals(List.of(tenant.pubkey()), wrap.tagValues("p"));
        Nip59.Unwrapped opened = Nip59.unwrap(wrap, tenant);
        assertEquals("Your relay wss://x.relays.example.com is live.", opened.rumor().content());
        assertEquals(robotKeys.pubkey(), opened.rumor().pubkey());
        assertEquals(robotKeys.pubkey(), opened.seal().pubkey());
        assertEquals(14, Nip17.open(wrap, tenant).kind());
        assertTrue(messaging.events(1059).isEmpty());

        Message sent = db.messages().find(id).orElseThrow();
        assertEquals(Message.SENT, sent.status());
        assertEquals(wrap.id(), sent.wrapId());
        assertEquals(inbox.url(), sent.relaysAccepted());
        assertEquals(NOW, sent.sentAt());
    }

    @Test
    void withoutA10050TheReadRelaysOfA10002AreUsedThenTheRobotsOwn() {
        tenantPublishes(indexer, 10002, List.of(List.of("r", inbox.url(), "read"),
                List.of("r", outbox.url(), "write")));
        sender.run(new SendDmJob(message("via 10002")));
        assertEquals("via 10002", Nip17.open(onlyWrap(inbox), tenant).content());
        assertTrue(outbox.events(1059).isEmpty(), "write-only relays are not inboxes");

        KeyPair stranger = KeyPair.generate();
        Message toStranger = new Message(Ids.random(), stranger.pubkey(), "relay_activated", "relay", "r2",
                "test:stranger", "fallback", Message.PENDING, null, null, null, 0, null, NOW, null);
        db.messages().insert(toStranger);
        sender.run(new SendDmJob(toStranger.id()));
        assertEquals("fallback", Nip17.open(onlyWrap(messaging), stranger).content());
    }

    @Test
    void withEveryRelayDownTheJobFailsAndLaterSendsOnce() throws Exception {
        tenantPublishes(indexer, 10050, List.of(List.of("relay", inbox.url())));
        String id = message("patience");
        List<TestRelay> all = List.of(outbox, indexer, messaging, inbox);
        for (TestRelay relay : all) { // the indexer, the fallback and the inbox: nowhere to look, nowhere to send
            relay.stop();
        }
        assertThrows(IllegalStateException.class, () -> sender.run(new SendDmJob(id)));
        Message failed = db.messages().find(id).orElseThrow();
        assertEquals(Message.PENDING, failed.status());
        assertEquals(1, failed.attempts());
        assertTrue(failed.lastError().startsWith("no relay accepted the DM"), failed.lastError());
        assertTrue(all.stream().allMatch(r -> r.events(1059).isEmpty()));

        for (TestRelay relay : all) {
            relay.restart();
        }
        tenantPublishes(indexer, 10050, List.of(List.of("relay", inbox.url())));
        sender.run(new SendDmJob(id));
        sender.run(new SendDmJob(id));
        List<Event> wraps = inbox.events(1059).stream()
                .filter(w -> Nip17.open(w, tenant).content().equals("patience")).toList();
        assertEquals(1, wraps.size());
        assertEquals(failed.wrapId(), wraps.get(0).id(), "the wrap built on the first attempt is the one sent");
    }

    @Test
    void aRelayThatRefusesIsSkippedForTheNextOne() throws Exception {
        try (TestRelay picky = TestRelay.start()) {
            picky.rejectWhen(e -> "blocked: no DMs here");
            tenantPublishes(indexer, 10050, List.of(List.of("relay", picky.url()), List.of("relay", inbox.url())));
            String id = message("second choice");
            sender.run(new SendDmJob(id));
            assertTrue(picky.events().isEmpty());
            assertEquals("second choice", Nip17.open(onlyWrap(inbox), tenant).content());
            assertEquals(inbox.url(), db.messages().find(id).orElseThrow().relaysAccepted());
        }
    }

    @Test
    void aRetryAfterARelayTookTheWrapDoesNotSendItTwice() {
        tenantPublishes(indexer, 10050, List.of(List.of("relay", inbox.url())));
        String id = message("once only");
        sender.run(new SendDmJob(id));
        // the worker died after the relay's OK and before the row said "sent"
        db.jdbi().useHandle(h -> h.execute("UPDATE messages SET status = 'pending', sent_at = NULL WHERE id = ?", id));
        sender.run(new SendDmJob(id));
        assertEquals(1, inbox.events(1059).size());
        assertEquals(Message.SENT, db.messages().find(id).orElseThrow().status());
    }

    @Test
    void aTriggerSpeaksOnceEvenIfNotifiedTwice() {
        RobotNotifier notifier = new RobotNotifier(null, clock, false);
        db.jdbi().useTransaction(h -> {
            notifier.notify(h, tenant.pubkey(), "relay_activated", "relay", "r9", "relay_activated:a1", "hello");
            notifier.notify(h, tenant.pubkey(), "relay_activated", "relay", "r9", "relay_activated:a1", "hello");
        });
        assertEquals(1, db.messages().forRecipient(tenant.pubkey()).size());
    }

    @Test
    void healthNeedsOneReachableOutboxRelay() throws Exception {
        RobotHealthCheck health = new RobotHealthCheck(robot, pool);
        assertTrue(health.execute().isHealthy());
        outbox.stop();
        pool.close();
        RobotHealthCheck down = new RobotHealthCheck(robot, new RelayPool(HttpClient.newHttpClient(), Duration.ofSeconds(1)));
        assertFalse(down.execute().isHealthy());
    }

    @Test
    void theSweepHandsBackPendingMessagesWhoseRetriesRanOutButNotTooOldOnesNorOnesStillQueued() {
        JobQueue jobs = test.jobQueue();
        MessageSweeper sweeper = new MessageSweeper(db, jobs, clock);
        String orphan = message("retries ran out");           // pending, no job left in JobRunr
        String queued = message("still queued");
        jobs.enqueue(new SendDmJob(queued));
        Message old = new Message(Ids.random(), tenant.pubkey(), "relay_activated", "relay", "r3", "test:old", "stale",
                Message.PENDING, null, null, null, 5, "no relay", NOW - MessageSweeper.MAX_AGE.toSeconds() - 1, null);
        db.messages().insert(old);

        assertEquals(1, sweeper.sweep());
        assertEquals(java.util.Set.of(orphan, queued), PendingJobs.ids(db.jdbi(), DmSender.class, "messageId"));
        assertEquals(0, sweeper.sweep(), "a second sweep piles nothing on the job it made");

        assertFalse(new MessagesHealthCheck(db, clock, true).execute().isHealthy());
        assertTrue(new MessagesHealthCheck(db, clock, true).execute().getMessage().startsWith("1 messages pending"),
                "the old one is stuck; the fresh ones are not yet");
        assertTrue(new MessagesHealthCheck(db, clock, false).execute().isHealthy(), "robot off: stored, reported");
    }

    @Test
    void anInvoiceIsSentWhenARelayAcceptsTheDmThatCarriesItsBolt11() throws Exception {
        tenantPublishes(indexer, 10050, List.of(List.of("relay", inbox.url())));
        db.tenants().insert(new app.caravel.db.Tenant(tenant.pubkey(), null, null, NOW, NOW, "active"));
        String invoiceId = Ids.random();
        db.invoices().insert(new app.caravel.db.Invoice(invoiceId, tenant.pubkey(), NOW - 2_592_000, NOW, 10_000,
                "lnbc100u1x", "hh", "pending", NOW, null, null, null, null, null, null, null, NOW + 2_592_000, null, null));
        Message dm = new Message(Ids.random(), tenant.pubkey(), DmSender.INVOICE_CREATED, "invoice", invoiceId,
                "invoice_bolt11:" + invoiceId, "pay lnbc100u1x", Message.PENDING, null, null, null, 0, null, NOW, null);
        db.messages().insert(dm);
        assertEquals(null, db.invoices().find(invoiceId).orElseThrow().sentAt(), "written is not sent");

        inbox.stop();
        messaging.stop();
        assertThrows(IllegalStateException.class, () -> sender.run(new SendDmJob(dm.id())));
        assertEquals(null, db.invoices().find(invoiceId).orElseThrow().sentAt(), "no relay took it: not sent");

        clock.advance(Duration.ofMinutes(5));
        inbox.restart();
        sender.run(new SendDmJob(dm.id()));
        assertEquals(NOW + 300, db.invoices().find(invoiceId).orElseThrow().sentAt());
        assertEquals(List.of("mark_invoice_sent"), db.activity().forResource("invoice", invoiceId).stream()
                .map(app.caravel.db.Activity::activityType).toList());
    }
}
