package app.caravel.support;

import app.caravel.db.Database;
import app.caravel.nostr.KeyPair;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outside world of the crash and multi-process billing tests: a loopback relay, the platform's wallet and
 * one wallet every tenant pays from (each through a client key of its own), both answering after 100 ms and
 * writing to one ledger, where "paid once" is judged.
 */
public final class SlowWallets implements AutoCloseable {
    private final TestRelay relay;
    private final WalletService.Ledger ledger = new WalletService.Ledger();
    private final WalletService platform;
    private final WalletService tenants;

    private SlowWallets(TestRelay relay) throws Exception {
        this.relay = relay;
        platform = WalletService.start(relay, ledger, "nip44_v2");
        tenants = WalletService.start(relay, ledger, "nip44_v2");
        platform.answerAfter(Duration.ofMillis(100));
        tenants.answerAfter(Duration.ofMillis(100));
    }

    /** Started, with enough in the shared wallet for {@code tenantCount} basic invoices twice over. */
    public static SlowWallets start(int tenantCount) throws Exception {
        SlowWallets wallets = new SlowWallets(TestRelay.start());
        wallets.tenants.setBalanceSats(tenantCount * 10_000L * 2);
        return wallets;
    }

    /** {@code count} tenants with a basic relay since {@code anchor}, each with its own client key; their pubkeys. */
    public List<String> seedTenants(Database db, int count, long anchor) {
        List<String> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            KeyPair client = KeyPair.generate();
            clients.add(client.pubkey());
            BillingSeed.tenant(db, KeyPair.generate(), tenants.uri(client), "basic", anchor);
        }
        return clients;
    }

    /** A billing server's settings on {@code databaseUrl}: invoicing from the platform wallet, ticks with at=. */
    public Map<String, String> serverSettings(String databaseUrl) {
        return Map.of("database_url", databaseUrl, "dashboard_port", "0", "allow_private_relays", "true",
                "billing_allow_at", "true", "nwc_url", platform.uri(KeyPair.generate()), "nwc_timeout_seconds", "10");
    }

    /** Ticks until every tenant's invoice is paid (at most 4 minutes), then judges "once" on the ledger. */
    public void tickUntilEveryTenantPaidOnce(Database db, List<String> clients, Runnable tick, String context)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (PaidOnce.paidInvoices(db) < clients.size() && System.nanoTime() < deadline) {
            tick.run();
            Thread.sleep(1000);
        }
        PaidOnce.assertEveryTenantPaidOnce(db, ledger, clients, context + "; wallet calls " + tenants.calls().size()
                + " pay " + tenants.count("pay_invoice") + " lookup " + tenants.count("lookup_invoice")
                + ", platform calls " + platform.calls().size() + ", relay events " + relay.eventsReceived());
    }

    @Override
    public void close() throws Exception {
        tenants.close();
        platform.close();
        relay.close();
    }
}
