package app.caravel.billing;

import app.caravel.db.Database;
import app.caravel.nostr.KeyPair;
import app.caravel.support.AppProcess;
import app.caravel.support.BillingSeed;
import app.caravel.support.PaidOnce;
import app.caravel.support.Ports;
import app.caravel.support.TestDatabase;
import app.caravel.support.TestRelay;
import app.caravel.support.WalletService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static app.caravel.billing.BillingFanOutAppTest.ANCHOR;
import static app.caravel.billing.BillingFanOutAppTest.AT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service process killed with SIGKILL at ten random moments of a billing run over 200 tenants (wallets
 * answering after 100 ms), started again each time on the same file: every tenant is invoiced once and pays
 * once, counted on the wallet doubles' ledger, not on our own tables.
 */
class BillingCrashTest {
    private static final int TENANTS = 200;
    private static final int KILLS = Integer.getInteger("kills", 10);

    @TempDir
    Path dir;

    @Test
    void killedTenTimesMidRunEveryTenantIsInvoicedAndPaysExactlyOnce() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (TestRelay relay = TestRelay.start()) {
            WalletService.Ledger ledger = new WalletService.Ledger();
            try (WalletService platform = WalletService.start(relay, ledger, "nip44_v2");
                 WalletService wallets = WalletService.start(relay, ledger, "nip44_v2")) {
                platform.answerAfter(Duration.ofMillis(100));
                wallets.answerAfter(Duration.ofMillis(100));
                wallets.setBalanceSats(TENANTS * 10_000L * 2); // one shared wallet pays for everyone
                List<String> clients = new ArrayList<>();
                String url;
                try (TestDatabase test = new TestDatabase(dir)) {
                    url = test.url();
                    for (int i = 0; i < TENANTS; i++) {
                        KeyPair client = KeyPair.generate();
                        clients.add(client.pubkey());
                        BillingSeed.tenant(test.db(), KeyPair.generate(), wallets.uri(client), "basic", ANCHOR);
                    }
                }
                Map<String, String> settings = Map.of("database_url", url,
                        "port", String.valueOf(Ports.free()), "dashboard_port", "0", "allow_private_relays", "true",
                        "billing_allow_at", "true", "nwc_url", platform.uri(KeyPair.generate()),
                        "nwc_timeout_seconds", "10");
                Path log = java.nio.file.Files.createTempFile("billing-crash", ".log"); // kept: the runs' story
                int adminPort = Ports.free();
                for (int kill = 0; kill < KILLS; kill++) {
                    AppProcess app = AppProcess.start(settings, adminPort, dir, log);
                    CompletableFuture.runAsync(() -> app.billingTick(AT));
                    Thread.sleep(200 + random.nextInt(2500));
                    app.kill();
                }
                try (AppProcess app = AppProcess.start(settings, adminPort, dir, log);
                     TestDatabase test = new TestDatabase(url)) {
                    Database db = test.db();
                    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
                    while (PaidOnce.paidInvoices(db) < TENANTS && System.nanoTime() < deadline) {
                        app.billingTick(AT); // picks up what the killed runs left, once their jobs are known orphaned
                        Thread.sleep(1000);
                    }
                    PaidOnce.assertEveryTenantPaidOnce(db, ledger, clients, "seed " + seed + ", log " + log
                            + "; wallet calls " + wallets.calls().size() + " pay " + wallets.count("pay_invoice")
                            + " lookup " + wallets.count("lookup_invoice") + ", platform calls " + platform.calls().size()
                            + ", relay events " + relay.eventsReceived());
                }
            }
        }
    }
}
