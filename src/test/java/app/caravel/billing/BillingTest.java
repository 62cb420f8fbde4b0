package app.caravel.billing;

import app.caravel.db.Activity;
import app.caravel.db.Database;
import app.caravel.db.Ids;
import app.caravel.db.Invoice;
import app.caravel.db.InvoiceItem;
import app.caravel.db.Message;
import app.caravel.db.Relay;
import app.caravel.db.Tenant;
import app.caravel.jobs.JobQueue;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip47;
import app.caravel.nostr.NwcClient;
import app.caravel.nostr.NwcUri;
import app.caravel.nostr.RelayPool;
import app.caravel.robot.RobotNotifier;
import app.caravel.support.MutableClock;
import app.caravel.support.TestDatabase;
import app.caravel.support.TestRelay;
import app.caravel.support.WalletService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Invoicing and collection against NIP-47 wallets on a loopback relay, on a real SQLite file. */
class BillingTest {
    private static final long ANCHOR = Instant.parse("2025-04-15T00:00:00Z").getEpochSecond(); // 30-day period
    private static final long PERIOD_END = Instant.parse("2025-05-15T00:00:00Z").getEpochSecond();
    private static final long DAY = 86_400;

    @TempDir
    Path dir;
    private TestDatabase test;
    private Database db;
    private TestRelay relay;
    private WalletService.Ledger ledger;
    private WalletService platformWallet;
    private WalletService tenantWallet;
    private RelayPool pool;
    private final MutableClock clock = new MutableClock(PERIOD_END + 3600);
    private final KeyPair tenant = KeyPair.generate();
    private Invoicer invoicer;
    private Collector collector;
    private String paidRelay;
    private String freeRelay;

    @BeforeEach
    void setUp() throws Exception {
        test = new TestDatabase(dir);
        db = test.db();
        relay = TestRelay.start();
        ledger = new WalletService.Ledger();
        platformWallet = WalletService.start(relay, ledger, "nip44_v2", "nip04");
        tenantWallet = WalletService.start(relay, ledger, "nip44_v2", "nip04");
        pool = new RelayPool(HttpClient.newHttpClient(), Duration.ofSeconds(2));
        wire();
        db.tenants().insert(new Tenant(tenant.pubkey(), tenantWallet.uri(KeyPair.generate()), null, ANCHOR, ANCHOR,
                Tenant.ACTIVE));
        paidRelay = relayWithHistory("paid", "basic", ANCHOR);
        freeRelay = relayWithHistory("free", "free", ANCHOR);
    }

    /** What a process start builds: fresh clients over the same database ("restart" calls it again). */
    private void wire() {
        // Nostr events carry real time (relays judge it); billing runs on the test clock
        Wallets wallets = new Wallets(new NwcClient(pool, java.time.Clock.systemUTC(), Duration.ofSeconds(2)));
        Optional<NwcUri> platform = Optional.of(NwcUri.parse(platformWallet.uri(KeyPair.generate())));
        RobotNotifier notifier = new RobotNotifier(null, clock, false);
        JobQueue jobs = test.jobQueue();
        invoicer = new Invoicer(db, platform, wallets, notifier, java.time.Clock.systemUTC());
        collector = new Collector(db, platform, wallets, notifier,
                new RelayStanding(jobs, notifier, RelayStanding.hosts("relays.example.com")), Duration.ofDays(7));
    }

    @AfterEach
    void tearDown() throws Exception {
        platformWallet.close();
        tenantWallet.close();
        pool.close();
        relay.close();
        test.close();
    }

    private String relayWithHistory(String subdomain, String plan, long activeFrom) {
        String id = java.util.UUID.randomUUID().toString();
        db.relays().insert(new Relay(id, tenant.pubkey(), subdomain, subdomain + "_x" + id.substring(0, 4), subdomain, "",
                "", plan, Relay.ACTIVE, null, activeFrom, KeyPair.generate().secretHex(), false, false, true, true,
                false, false, false, activeFrom, activeFrom));
        db.activity().insert(new Activity(Ids.random(), tenant.pubkey(), activeFrom, "activate_relay", "relay", id,
                "{\"plan\":\"" + plan + "\",\"status\":\"active\"}"));
        return id;
    }

    private Invoice onlyInvoice() {
        List<Invoice> invoices = db.invoices().listByTenant(tenant.pubkey());
        assertEquals(1, invoices.size(), invoices.toString());
        return invoices.get(0);
    }

    private List<String> messages() {
        return db.messages().forRecipient(tenant.pubkey()).stream().map(Message::messageType).toList();
    }

    @Test
    void aClosedPeriodGetsOneInvoiceWithABolt11FromThePlatformWallet() {
        clock.set(PERIOD_END - 1);
        assertEquals(0, invoicer.tick(clock.instant().getEpochSecond()).invoices(), "period still open");
        clock.set(PERIOD_END + 3600);
        assertEquals(1, invoicer.tick(clock.instant().getEpochSecond()).invoices());
        Invoice invoice = onlyInvoice();
        assertEquals(10_000, invoice.amount());
        assertEquals(ANCHOR, invoice.periodStart());
        assertEquals(PERIOD_END, invoice.periodEnd());
        assertTrue(invoice.bolt11().startsWith("lnbcrt10000n1"), invoice.bolt11());
        assertEquals(List.of(new InvoiceItem(invoice.id(), paidRelay, "basic", 720, 10_000)), db.invoices().items(invoice.id()));
        assertEquals(1, platformWallet.count("make_invoice"));
        Message dm = db.messages().forRecipient(tenant.pubkey()).get(0);
        assertEquals("invoice_created", dm.messageType());
        assertTrue(dm.body().contains("10,000 sats") && dm.body().contains(invoice.bolt11()), dm.body());

        assertEquals(0, invoicer.tick(clock.instant().getEpochSecond() + 3600).invoices(), "pending invoice blocks the next");
        assertEquals(1, platformWallet.count("make_invoice"));
    }

    @Test
    void twoTicksAtOnceMakeOneInvoice() {
        long now = clock.instant().getEpochSecond();
        CompletableFuture<Invoicer.TickResult> a = CompletableFuture.supplyAsync(() -> invoicer.tick(now));
        CompletableFuture<Invoicer.TickResult> b = CompletableFuture.supplyAsync(() -> invoicer.tick(now));
        assertEquals(1, a.join().invoices() + b.join().invoices());
        onlyInvoice();
        assertEquals(1, platformWallet.count("make_invoice"));
    }

    @Test
    void theTenantsWalletPaysAndOnlyOnce() {
        invoicer.tick(clock.instant().getEpochSecond());
        Collector.CollectResult result = collector.collect(clock.instant().getEpochSecond());
        assertEquals(1, result.paid());
        Invoice invoice = onlyInvoice();
        assertEquals(Invoice.PAID, invoice.status());
        assertTrue(ledger.settled(invoice.paymentHash()));
        assertNull(db.tenants().find(tenant.pubkey()).orElseThrow().nwcError());
        clock.advance(Duration.ofDays(2));
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(1, tenantWallet.count("pay_invoice"));
    }

    @Test
    void anInvoicePaidOutOfBandIsSeenByTheLookupAndNotPaidAgain() {
        invoicer.tick(clock.instant().getEpochSecond());
        ledger.settleOutOfBand(onlyInvoice().bolt11());
        assertEquals(1, collector.collect(clock.instant().getEpochSecond()).paid());
        assertEquals(0, tenantWallet.count("pay_invoice"));
        assertEquals(Invoice.PAID, onlyInvoice().status());
    }

    @ParameterizedTest
    @EnumSource(value = Nip47.ErrorCode.class, names = {"INSUFFICIENT_BALANCE", "QUOTA_EXCEEDED", "RATE_LIMITED",
            "PAYMENT_FAILED", "RESTRICTED", "UNAUTHORIZED", "INTERNAL"})
    void aWalletErrorIsKeptToldOnceAndRetriedAfterADay(Nip47.ErrorCode code) {
        tenantWallet.failPaymentsWith(code);
        invoicer.tick(clock.instant().getEpochSecond());
        collector.collect(clock.instant().getEpochSecond());
        Invoice invoice = onlyInvoice();
        assertEquals(Invoice.PENDING, invoice.status());
        assertNull(invoice.payingAt(), "the wallet answered: nothing in flight");
        assertTrue(invoice.error().startsWith(code.name()), invoice.error());
        assertTrue(db.tenants().find(tenant.pubkey()).orElseThrow().nwcError().startsWith(code.name()));
        assertEquals(List.of("invoice_created", "payment_failed"), messages());

        clock.advance(Duration.ofHours(23));
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(1, tenantWallet.count("pay_invoice"), "one attempt per 24 h");

        clock.advance(Duration.ofHours(2));
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(2, tenantWallet.count("pay_invoice"));
        assertEquals(List.of("invoice_created", "payment_failed"), messages(), "told once per kind of failure");

        tenantWallet.failPaymentsWith(null);
        clock.advance(Duration.ofHours(25));
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(Invoice.PAID, onlyInvoice().status());
        assertNull(db.tenants().find(tenant.pubkey()).orElseThrow().nwcError(), "a payment clears the error");
    }

    @Test
    void aWalletThatPaysButWhoseAnswerIsLostIsPaidExactlyOnceAfterARestart() {
        platformWallet.shapeLookups(BillingTest::blind);
        tenantWallet.loseAnswers(true);
        invoicer.tick(clock.instant().getEpochSecond());
        collector.collect(clock.instant().getEpochSecond());
        Invoice inFlight = onlyInvoice();
        assertEquals(Invoice.PENDING, inFlight.status());
        assertTrue(inFlight.payingAt() != null, "outcome unknown: the marker stays");
        assertTrue(ledger.settled(inFlight.paymentHash()), "the money did move");

        wire(); // the process restarts: new clients, same database
        tenantWallet.loseAnswers(false);
        clock.advance(Duration.ofDays(2));
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(Invoice.PAID, onlyInvoice().status());
        assertEquals(1, tenantWallet.count("pay_invoice"), "never paid twice");
        assertEquals(1, tenantWallet.count("lookup_invoice"), "the wallet that was asked to pay settled the marker");
    }

    @Test
    void aCollectorKilledBetweenPayInvoiceAndRecordingIsPaidExactlyOnceAfterARestart() throws Exception {
        platformWallet.shapeLookups(BillingTest::blind);
        invoicer.tick(clock.instant().getEpochSecond());
        Invoice invoice = onlyInvoice();
        tenantWallet.loseAnswers(true);
        String platformUri = platformWallet.uri(app.caravel.nostr.KeyPair.generate());
        Path childLog = java.nio.file.Files.createTempFile("collector", ".log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CollectorProcess.class.getName(),
                test.url(), platformUri, String.valueOf(clock.instant().getEpochSecond()))
                .redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (tenantWallet.count("pay_invoice") == 0) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroyForcibly().waitFor();
                fail("the child never paid: " + java.nio.file.Files.readString(childLog));
            }
            Thread.sleep(20);
        }
        child.destroyForcibly().waitFor();
        assertTrue(ledger.settled(invoice.paymentHash()), "the money moved before the kill");
        assertEquals(Invoice.PENDING, onlyInvoice().status(), "nothing recorded: killed in between");
        assertTrue(onlyInvoice().payingAt() != null, "the in-flight marker survived the kill");

        tenantWallet.loseAnswers(false);
        wire(); // the restart
        clock.advance(Duration.ofDays(2));
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(Invoice.PAID, onlyInvoice().status());
        assertEquals(1, tenantWallet.count("pay_invoice"), "paid exactly once");
        assertEquals(1, tenantWallet.count("lookup_invoice"), "the wallet that was asked to pay settled the marker");
    }

    @Test
    void aPaymentStillInFlightIsAskedAboutAndNeverSentAgain() {
        tenantWallet.holdPayments(true);
        invoicer.tick(clock.instant().getEpochSecond());
        collector.collect(clock.instant().getEpochSecond());
        assertTrue(onlyInvoice().payingAt() != null);

        wire();
        for (int day = 1; day <= 3; day++) {
            clock.advance(Duration.ofDays(1));
            collector.collect(clock.instant().getEpochSecond());
        }
        assertEquals(1, tenantWallet.count("pay_invoice"), "pending at the wallet: no second pay_invoice");
        assertEquals(3, tenantWallet.count("lookup_invoice"), "the tenant's wallet was asked each time");
        assertEquals(Invoice.PENDING, onlyInvoice().status());

        tenantWallet.releaseHeldPayments();
        clock.advance(Duration.ofHours(1));
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(Invoice.PAID, onlyInvoice().status());
        assertEquals(1, tenantWallet.count("pay_invoice"));
    }

    @Test
    void aCrashBeforePayInvoiceLeftTheWalletUnawareAndItIsPaidOnceLater() {
        invoicer.tick(clock.instant().getEpochSecond());
        Invoice invoice = onlyInvoice();
        long crashAt = clock.instant().getEpochSecond();
        String payer = NwcUri.parse(db.tenants().find(tenant.pubkey()).orElseThrow().nwcUrl()).payerId();
        assertEquals(1, db.invoices().markPaying(invoice.id(), crashAt, payer)); // marker committed, then the process died

        wire();
        collector.collect(crashAt + 60);
        assertEquals(0, tenantWallet.count("pay_invoice"), "within 24 h of the crashed attempt: wait");
        assertNull(onlyInvoice().payingAt(), "the wallet never saw it: the marker is cleared");
        collector.collect(crashAt + DAY + 60);
        assertEquals(1, tenantWallet.count("pay_invoice"));
        assertEquals(Invoice.PAID, onlyInvoice().status());
    }

    @Test
    void aSilentWalletTimesOutAndNothingIsPaidTwice() {
        invoicer.tick(clock.instant().getEpochSecond());
        tenantWallet.setSilent(true);
        collector.collect(clock.instant().getEpochSecond());
        Invoice invoice = onlyInvoice();
        assertTrue(invoice.error().startsWith("TIMEOUT"), invoice.error());
        assertTrue(invoice.payingAt() != null);
        clock.advance(Duration.ofDays(2));
        collector.collect(clock.instant().getEpochSecond()); // lookup times out too: wait
        assertEquals(1, tenantWallet.count("pay_invoice"));
        tenantWallet.setSilent(false);
        clock.advance(Duration.ofDays(1));
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(Invoice.PAID, onlyInvoice().status());
        assertEquals(2, tenantWallet.count("pay_invoice"), "the silent one never paid; the second one did");
        assertEquals(1, ledger.byHashSettledCount());
    }

    @Test
    void withoutAWalletTheTenantGetsTheBolt11AndPaysItSelf() {
        db.tenants().setNwcUrl(tenant.pubkey(), null);
        invoicer.tick(clock.instant().getEpochSecond());
        Invoice invoice = onlyInvoice();
        assertNull(invoice.sentAt(), "written, not yet delivered (the robot is off here): not sent");
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(List.of("invoice_created"), messages(), "the invoice DM is the one that asks to pay: said once");
        ledger.settleOutOfBand(invoice.bolt11());
        collector.collect(clock.instant().getEpochSecond() + 3600);
        assertEquals(Invoice.PAID, onlyInvoice().status());
    }

    @Test
    void unpaidAfterTheGracePeriodThePaidRelaysGoDelinquentAndComeBackOnPayment() {
        tenantWallet.failPaymentsWith(Nip47.ErrorCode.INSUFFICIENT_BALANCE);
        invoicer.tick(clock.instant().getEpochSecond());
        long created = onlyInvoice().createdAt();
        collector.collect(created + 6 * DAY);
        assertEquals(Relay.ACTIVE, db.relays().find(paidRelay).orElseThrow().status());
        collector.collect(created + 7 * DAY);
        assertEquals(Relay.DELINQUENT, db.relays().find(paidRelay).orElseThrow().status());
        assertEquals(Relay.ACTIVE, db.relays().find(freeRelay).orElseThrow().status(), "free relays owe nothing");
        assertTrue(messages().contains("relays_delinquent"));
        long syncJobs = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM jobrunr_jobs WHERE jobAsJson LIKE :id")
                .bind("id", "%" + paidRelay + "%").mapTo(Long.class).one());
        assertEquals(1, syncJobs, "removal from zooid enqueued");

        ledger.settleOutOfBand(onlyInvoice().bolt11());
        collector.collect(created + 8 * DAY);
        assertEquals(Relay.NEW, db.relays().find(paidRelay).orElseThrow().status(), "back, pending its sync");
        assertTrue(messages().contains("relays_reactivated"));
        assertTrue(db.messages().forRecipient(tenant.pubkey()).stream()
                .filter(m -> m.messageType().equals("relays_reactivated")).findFirst().orElseThrow()
                .body().contains("wss://paid.relays.example.com"));
    }

    @Test
    void anAdminClosingTheInvoiceBringsTheRelaysBack() {
        tenantWallet.failPaymentsWith(Nip47.ErrorCode.QUOTA_EXCEEDED);
        invoicer.tick(clock.instant().getEpochSecond());
        Invoice invoice = onlyInvoice();
        collector.collect(invoice.createdAt() + 8 * DAY);
        assertEquals(Relay.DELINQUENT, db.relays().find(paidRelay).orElseThrow().status());
        assertEquals(Collector.CloseOutcome.CLOSED, collector.close(invoice.id(), invoice.createdAt() + 9 * DAY));
        assertEquals(Invoice.CLOSED, onlyInvoice().status());
        assertEquals(Relay.NEW, db.relays().find(paidRelay).orElseThrow().status());
        assertEquals(Collector.CloseOutcome.NOT_PENDING, collector.close(invoice.id(), invoice.createdAt() + 9 * DAY),
                "closing twice changes nothing");
    }

    @Test
    void aNip04OnlyWalletIsSpokenToInNip04() throws Exception {
        try (WalletService legacy = WalletService.start(relay, ledger)) {
            db.tenants().setNwcUrl(tenant.pubkey(), legacy.uri(KeyPair.generate()));
            invoicer.tick(clock.instant().getEpochSecond());
            collector.collect(clock.instant().getEpochSecond());
            assertEquals(Invoice.PAID, onlyInvoice().status());
            assertEquals(1, legacy.count("pay_invoice"));
        }
    }

    @Test
    void withoutAPlatformWalletNoInvoiceIsMade() {
        Invoicer disabled = new Invoicer(db, Optional.empty(), null, null, java.time.Clock.systemUTC());
        assertEquals(0, disabled.tick(clock.instant().getEpochSecond()).invoices());
        assertTrue(db.invoices().listByTenant(tenant.pubkey()).isEmpty());
    }

    /** A platform wallet that cannot see a payment: its lookups answer pending, whatever happened. */
    private static ObjectNode blind(ObjectNode result) {
        result.remove("settled_at");
        return result.put("state", "pending");
    }

    static Stream<Arguments> unpaidLookupShapes() {
        return Stream.of(
                Arguments.of("pending with the payee's preimage", (UnaryOperator<ObjectNode>) r -> r),
                Arguments.of("no state, settled_at 0", (UnaryOperator<ObjectNode>) r -> {
                    r.remove("state");
                    return r.put("settled_at", 0);
                }),
                Arguments.of("no state, a preimage only", (UnaryOperator<ObjectNode>) r -> {
                    r.remove("state");
                    return r;
                }),
                Arguments.of("state pending beside a settled_at", (UnaryOperator<ObjectNode>) r -> r.put("settled_at", 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unpaidLookupShapes")
    void anUnpaidInvoiceIsNeverTakenAsPaidWhateverShapeTheLookupHas(String name, UnaryOperator<ObjectNode> shape) {
        db.tenants().setNwcUrl(tenant.pubkey(), null); // nothing else could pay it
        platformWallet.shapeLookups(shape);
        invoicer.tick(clock.instant().getEpochSecond());
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(Invoice.PENDING, onlyInvoice().status(), name);
        assertTrue(platformWallet.count("lookup_invoice") >= 1, "the platform wallet was asked");
    }

    @Test
    void withoutAStateASettledAtAfterTheEpochMeansPaid() {
        db.tenants().setNwcUrl(tenant.pubkey(), null);
        platformWallet.shapeLookups(r -> {
            r.remove("state");
            return r;
        });
        invoicer.tick(clock.instant().getEpochSecond());
        ledger.settleOutOfBand(onlyInvoice().bolt11());
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(Invoice.PAID, onlyInvoice().status());
    }

    @Test
    void aMarkerIsClearedOnlyByTheWalletThatWasAskedToPay() throws Exception {
        platformWallet.shapeLookups(BillingTest::blind);
        tenantWallet.holdPayments(true);
        invoicer.tick(clock.instant().getEpochSecond());
        collector.collect(clock.instant().getEpochSecond());
        assertTrue(onlyInvoice().payingAt() != null, "payment in flight at the first wallet");

        try (WalletService second = WalletService.start(relay, ledger, "nip44_v2")) {
            db.tenants().setNwcUrl(tenant.pubkey(), second.uri(KeyPair.generate()));
            clock.advance(Duration.ofDays(2));
            collector.collect(clock.instant().getEpochSecond());
            assertEquals(0, second.count("pay_invoice"), "the new wallet is not asked to pay while the old one may");
            assertEquals(0, second.count("lookup_invoice"), "nor asked about a payment it never saw");
            assertTrue(onlyInvoice().payingAt() != null, "the marker stands");

            tenantWallet.releaseHeldPayments(); // the first wallet's payment lands
            platformWallet.shapeLookups(null);
            clock.advance(Duration.ofHours(1));
            collector.collect(clock.instant().getEpochSecond());
            assertEquals(Invoice.PAID, onlyInvoice().status());
            assertEquals(0, second.count("pay_invoice"));
            assertEquals(1, ledger.byHashSettledCount());
        }
    }

    @Test
    void aMarkerOfAnotherWalletIsClearedOnceTheBolt11HasExpired() throws Exception {
        platformWallet.shapeLookups(BillingTest::blind);
        tenantWallet.holdPayments(true);
        invoicer.tick(clock.instant().getEpochSecond());
        collector.collect(clock.instant().getEpochSecond());
        try (WalletService second = WalletService.start(relay, ledger, "nip44_v2")) {
            db.tenants().setNwcUrl(tenant.pubkey(), second.uri(KeyPair.generate()));
            collector.collect(onlyInvoice().expiresAt() - 60);
            assertTrue(onlyInvoice().payingAt() != null, "payable: the old payment may still land");
            collector.collect(onlyInvoice().expiresAt());
            assertEquals(1, second.count("pay_invoice"), "expired: the old payment can no longer land, a new attempt starts");
            assertEquals(Invoice.PAID, onlyInvoice().status());
        }
    }

    @Test
    void anUnreadableAnswerToPayInvoiceLeavesTheMarkerAndIsNeverPaidTwice() {
        platformWallet.shapeLookups(BillingTest::blind);
        tenantWallet.garbleAnswersTo("pay_invoice");
        invoicer.tick(clock.instant().getEpochSecond());
        collector.collect(clock.instant().getEpochSecond());
        Invoice invoice = onlyInvoice();
        assertTrue(invoice.payingAt() != null, "an unreadable answer is no refusal: the outcome is unknown");
        assertTrue(invoice.error().startsWith("UNREADABLE"), invoice.error());
        assertTrue(ledger.settled(invoice.paymentHash()), "the wallet did pay");

        tenantWallet.garbleAnswersTo(null);
        clock.advance(Duration.ofDays(2));
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(Invoice.PAID, onlyInvoice().status());
        assertEquals(1, tenantWallet.count("pay_invoice"), "asked, not paid again");
    }

    @Test
    void anAdminCannotCloseAnInvoiceWhosePaymentIsInFlight() {
        tenantWallet.holdPayments(true);
        platformWallet.shapeLookups(BillingTest::blind);
        invoicer.tick(clock.instant().getEpochSecond());
        collector.collect(clock.instant().getEpochSecond());
        long now = clock.instant().getEpochSecond();
        assertEquals(Collector.CloseOutcome.PAYMENT_IN_FLIGHT, collector.close(onlyInvoice().id(), now));
        assertEquals(Invoice.PENDING, onlyInvoice().status());
        assertTrue(db.activity().forResource(Activity.INVOICE, onlyInvoice().id()).stream()
                .noneMatch(a -> a.activityType().equals("mark_invoice_closed")));

        tenantWallet.releaseHeldPayments();
        collector.collect(now + 3600);
        Invoice paid = onlyInvoice();
        assertEquals(Invoice.PAID, paid.status(), "the sats received are on the books");
        assertNull(paid.payingAt());
        assertEquals(Collector.CloseOutcome.NOT_PENDING, collector.close(paid.id(), now + 7200));
    }

    @Test
    void aLatePaymentOfAClosedInvoiceIsBookedAsPaidWithTheCloseKept() {
        db.tenants().setNwcUrl(tenant.pubkey(), null);
        invoicer.tick(clock.instant().getEpochSecond());
        long now = clock.instant().getEpochSecond();
        assertEquals(Collector.CloseOutcome.CLOSED, collector.close(onlyInvoice().id(), now));
        ledger.settleOutOfBand(onlyInvoice().bolt11()); // the tenant paid the BOLT11 it was sent anyway
        collector.collect(now + 3600);
        Invoice invoice = onlyInvoice();
        assertEquals(Invoice.PAID, invoice.status());
        assertEquals(now, invoice.closedAt(), "the close stays on record");
        assertEquals(List.of("create_invoice", "mark_invoice_closed", "mark_invoice_paid"),
                db.activity().forResource(Activity.INVOICE, invoice.id()).stream().map(Activity::activityType).toList());
    }

    @Test
    void theInFlightMarkerIsCommittedWithAFullSyncAndOtherWritesAreNot() {
        org.junit.jupiter.api.Assumptions.assumeTrue(!app.caravel.support.TestEngine.postgres(),
                "SQLite's synchronous pragma (PostgreSQL commits durably already)");
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        db.jdbi().setSqlLogger(new org.jdbi.v3.core.statement.SqlLogger() {
            @Override
            public void logBeforeExecution(org.jdbi.v3.core.statement.StatementContext context) {
                String sql = context.getRawSql();
                if (sql.startsWith("UPDATE invoices SET")) {
                    try (var pragma = context.getConnection().createStatement().executeQuery("PRAGMA synchronous")) {
                        seen.add(sql.substring(20, 40).trim() + " synchronous=" + pragma.getInt(1));
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        });
        invoicer.tick(clock.instant().getEpochSecond());
        collector.collect(clock.instant().getEpochSecond());
        assertEquals(Invoice.PAID, onlyInvoice().status());
        assertTrue(seen.stream().anyMatch(s -> s.startsWith("paying_at = :now") && s.endsWith("synchronous=2")), seen.toString());
        assertTrue(seen.stream().filter(s -> !s.startsWith("paying_at = :now")).allMatch(s -> s.endsWith("synchronous=1")),
                "FULL only where it is needed: " + seen);
        assertEquals(1, (int) db.jdbi().withHandle(h -> h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one()),
                "the pooled connection goes back to NORMAL");
    }

    @Test
    void anExpiringBolt11IsReplacedBeforeItIsPaidAndTheOldHashIsKept() {
        invoicer.tick(clock.instant().getEpochSecond());
        Invoice first = onlyInvoice();
        long nearlyExpired = first.expiresAt() - 12 * 3600;
        tenantWallet.failPaymentsWith(Nip47.ErrorCode.INSUFFICIENT_BALANCE);
        collector.collect(clock.instant().getEpochSecond()); // a first attempt, refused
        tenantWallet.failPaymentsWith(null);
        collector.collect(nearlyExpired);
        Invoice paid = onlyInvoice();
        assertEquals(Invoice.PAID, paid.status());
        assertTrue(!paid.paymentHash().equals(first.paymentHash()), "a fresh BOLT11 was paid, not one about to expire");
        assertEquals(first.amount(), paid.amount());
        assertEquals(List.of(paid.paymentHash(), first.paymentHash()), db.invoices().paymentHashes(paid.id()));
        assertTrue(ledger.settled(paid.paymentHash()));
        assertEquals(2, platformWallet.count("make_invoice"));
    }

    @Test
    void aLatePaymentOfAReplacedBolt11IsStillRecognised() {
        db.tenants().setNwcUrl(tenant.pubkey(), null);
        invoicer.tick(clock.instant().getEpochSecond());
        Invoice first = onlyInvoice();
        collector.collect(first.expiresAt() - 3600);
        Invoice replaced = onlyInvoice();
        assertTrue(!replaced.paymentHash().equals(first.paymentHash()));
        assertEquals(2, messages().stream().filter("invoice_created"::equals).count(), "the new BOLT11 was sent too");
        ledger.settleOutOfBand(first.bolt11()); // the tenant paid the old one just before it expired
        collector.collect(first.expiresAt() + 3600);
        assertEquals(Invoice.PAID, onlyInvoice().status());
    }

    @Test
    void aDelinquentTenantComingBackAfterSixtyDaysCanPayAndGetsItsRelaysBack() {
        db.tenants().setNwcUrl(tenant.pubkey(), null);
        invoicer.tick(clock.instant().getEpochSecond());
        Invoice invoice = onlyInvoice();
        collector.collect(invoice.createdAt() + 8 * DAY);
        assertEquals(Relay.DELINQUENT, db.relays().find(paidRelay).orElseThrow().status());

        long comeback = invoice.createdAt() + 60 * DAY;
        assertTrue(invoice.expiresAt() < comeback, "the first BOLT11 is long expired");
        db.tenants().setNwcUrl(tenant.pubkey(), tenantWallet.uri(KeyPair.generate()));
        assertEquals(Collector.Step.PAID, collectOne(invoice.id(), comeback));
        assertEquals(Relay.NEW, db.relays().find(paidRelay).orElseThrow().status(), "back, pending its sync");
        assertTrue(ledger.settled(onlyInvoice().paymentHash()));
    }

    private Collector.Step collectOne(String id, long at) {
        try {
            return collector.collect(id, at);
        } catch (app.caravel.nostr.NwcException e) {
            throw new AssertionError(e.describe(), e);
        }
    }
}
