package app.caravel.billing;

import app.caravel.support.AppProcess;
import app.caravel.support.Ports;
import app.caravel.support.SlowWallets;
import app.caravel.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static app.caravel.billing.BillingFanOutAppTest.ANCHOR;
import static app.caravel.billing.BillingFanOutAppTest.AT;

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
        try (SlowWallets wallets = SlowWallets.start(TENANTS)) { // one shared wallet pays for everyone
            List<String> clients;
            String url;
            try (TestDatabase test = new TestDatabase(dir)) {
                url = test.url();
                clients = wallets.seedTenants(test.db(), TENANTS, ANCHOR);
            }
            Map<String, String> settings = new HashMap<>(wallets.serverSettings(url));
            settings.put("port", String.valueOf(Ports.free()));
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
                // each tick picks up what the killed runs left, once their jobs are known orphaned
                wallets.tickUntilEveryTenantPaidOnce(test.db(), clients, () -> app.billingTick(AT),
                        "seed " + seed + ", log " + log);
            }
        }
    }
}
