package app.caravel.billing;

import app.caravel.db.Activity;
import app.caravel.db.Database;
import app.caravel.db.Ids;
import app.caravel.db.Message;
import app.caravel.db.Relay;
import app.caravel.db.Tenant;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip47;
import app.caravel.nostr.NwcClient;
import app.caravel.nostr.NwcException;
import app.caravel.nostr.RelayPool;
import app.caravel.robot.DashboardLinks;
import app.caravel.robot.RobotNotifier;
import app.caravel.support.DbSnapshot;
import app.caravel.support.MutableClock;
import app.caravel.support.TestDatabase;
import app.caravel.support.TestRelay;
import app.caravel.support.WalletService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Warnings before money fails (SPEC §5.2): the wallet asked a few days before the period ends, one DM per period. */
class BudgetWatchTest {
    private static final long ANCHOR = Instant.parse("2025-04-15T00:00:00Z").getEpochSecond();
    private static final long PERIOD_END = Instant.parse("2025-05-15T00:00:00Z").getEpochSecond();

    @TempDir
    Path dir;
    private TestDatabase test;
    private Database db;
    private TestRelay relay;
    private WalletService wallet;
    private RelayPool pool;
    private final MutableClock clock = new MutableClock(PERIOD_END - 2 * 86_400);
    private final KeyPair tenant = KeyPair.generate();
    private BudgetWatch watch;

    @BeforeEach
    void setUp() throws Exception {
        test = new TestDatabase(dir);
        db = test.db();
        relay = TestRelay.start();
        wallet = WalletService.start(relay, new WalletService.Ledger(), "nip44_v2");
        pool = new RelayPool(HttpClient.newHttpClient(), Duration.ofSeconds(2));
        Wallets wallets = new Wallets(new NwcClient(pool, java.time.Clock.systemUTC(), Duration.ofSeconds(2)));
        RobotNotifier notifier = new RobotNotifier(null, clock, false,
                new DashboardLinks(Optional.of("https://app.example.com")));
        watch = new BudgetWatch(db, test.jobQueue(), wallets, notifier, clock);
        db.tenants().insert(new Tenant(tenant.pubkey(), db.secrets().seal(wallet.uri(KeyPair.generate())), null, ANCHOR,
                ANCHOR, Tenant.ACTIVE));
        String id = java.util.UUID.randomUUID().toString();
        db.relays().insert(new Relay(id, tenant.pubkey(), "paid", "paid_x" + id.substring(0, 4), "paid", "", "", "basic",
                Relay.ACTIVE, null, ANCHOR, KeyPair.generate().secretHex(), false, false, true, true, false, false,
                false, ANCHOR, ANCHOR));
        db.activity().insert(new Activity(Ids.random(), tenant.pubkey(), ANCHOR, "activate_relay", "relay", id,
                "{\"plan\":\"basic\",\"status\":\"active\"}"));
    }

    @AfterEach
    void tearDown() throws Exception {
        wallet.close();
        pool.close();
        relay.close();
        test.close();
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private List<Message> warnings() {
        return db.messages().forRecipient(tenant.pubkey()).stream().filter(m -> m.messageType().equals("budget_short")).toList();
    }

    @Test
    void aBudgetBelowTheComingInvoiceIsToldOncePerPeriodWithTheBillingPage() throws Exception {
        wallet.setBudgetSats(5_000, 0);
        assertEquals(List.of(tenant.pubkey()), watch.dueTenants(now()));
        assertTrue(watch.check(tenant.pubkey(), now()));
        assertFalse(watch.check(tenant.pubkey(), now() + 3600), "once per period");
        assertEquals(List.of(), watch.dueTenants(now() + 3600));
        List<Message> told = warnings();
        assertEquals(1, told.size());
        assertTrue(told.get(0).body().contains("10,000 sats") && told.get(0).body().contains("5,000 sats"), told.get(0).body());
        assertTrue(told.get(0).body().endsWith("\nhttps://app.example.com/billing"), told.get(0).body());
        assertEquals(1, wallet.count("get_budget"));

        clock.set(PERIOD_END + 28 * 86_400); // two days before the next period ends
        assertTrue(watch.check(tenant.pubkey(), now()), "the next period is told again");
        assertEquals(2, warnings().size());
    }

    @Test
    void aBudgetAboveTheComingInvoiceSaysNothing() throws Exception {
        wallet.setBudgetSats(50_000, 30_000);
        assertFalse(watch.check(tenant.pubkey(), now()));
        assertEquals(List.of(), warnings());
        assertEquals(List.of(), watch.dueTenants(now()), "checked for this period");
    }

    @Test
    void aWalletWithoutABudgetMethodIsJudgedByItsBalance() throws Exception {
        wallet.withoutBudgetMethod();
        wallet.setBalanceSats(1_000_000);
        assertFalse(watch.check(tenant.pubkey(), now()));
        assertEquals(List.of(), warnings());
        assertEquals(1, wallet.count("get_balance"), "the balance was asked instead");
    }

    @Test
    void aWalletThatFailsGetBudgetChangesNothing() throws Exception {
        wallet.failBudgetWith(Nip47.ErrorCode.INTERNAL);
        DbSnapshot before = DbSnapshot.of(db.jdbi());
        assertThrows(NwcException.class, () -> watch.check(tenant.pubkey(), now()));
        assertEquals(before, DbSnapshot.of(db.jdbi()), "no message, no mark: the job is retried");
        assertEquals(List.of(tenant.pubkey()), watch.dueTenants(now()), "still due");
    }

    @Test
    void nobodyIsAskedMoreThanAFewDaysBeforeThePeriodEnds() throws Exception {
        clock.set(PERIOD_END - 10 * 86_400);
        wallet.setBudgetSats(1, 0);
        assertEquals(List.of(), watch.dueTenants(now()));
        assertFalse(watch.check(tenant.pubkey(), now()));
        assertEquals(0, wallet.calls().size(), "the wallet was not asked");
    }
}
