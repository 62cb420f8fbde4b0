package app.caravel.bench;

import app.caravel.billing.Invoicer;
import app.caravel.billing.Wallets;
import app.caravel.db.Ids;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.NwcUri;
import app.caravel.robot.RobotNotifier;
import app.caravel.support.TestDatabase;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * `make bench-billing`: one billing tick over 10,000 tenants with 20,000 paid relays (two each, one basic,
 * one growth, live for the whole period), with a wallet that answers make_invoice instantly, so the figure
 * is the tick's own work: replaying activity, pricing, and writing invoices, items, activity and DMs.
 */
public final class BillingBench {
    private static final int TENANTS = 10_000;
    private static final long ANCHOR = Instant.parse("2025-04-15T00:00:00Z").getEpochSecond();
    private static final long AFTER = Instant.parse("2025-05-15T01:00:00Z").getEpochSecond();

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("caravel-billing-bench");
        try (TestDatabase test = new TestDatabase(dir)) {
            long seedStart = System.nanoTime();
            seed(test);
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;

            Wallets instant = new Wallets(null) {
                @Override
                public Bolt11 makeInvoice(NwcUri wallet, long sats, String description, long now) {
                    String hash = Ids.random().replace("-", "") + Ids.random().replace("-", "");
                    return new Bolt11("lnbc" + sats + "n1" + hash.substring(0, 40), hash, now + INVOICE_EXPIRY_SECONDS);
                }
            };
            Optional<NwcUri> platform = Optional.of(NwcUri.parse("nostr+walletconnect://"
                    + KeyPair.generate().pubkey() + "?relay=wss%3A%2F%2Fwallet.invalid&secret=" + KeyPair.generate().secretHex()));
            Invoicer invoicer = new Invoicer(test.db(), platform, instant,
                    new RobotNotifier(null, Clock.systemUTC(), false), Clock.systemUTC());

            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            long start = System.nanoTime();
            Invoicer.TickResult result = invoicer.tick(AFTER);
            double seconds = (System.nanoTime() - start) / 1e9;
            long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            long total = test.jdbi().withHandle(h -> h.createQuery("SELECT sum(amount) FROM invoices").mapTo(Long.class).one());

            System.err.printf("%nbilling tick: %,d tenants, %,d relays (seeded in %.1f s)%n", TENANTS, TENANTS * 2, seedSeconds);
            System.err.printf("%-22s %,d%n", "invoices made", result.invoices());
            System.err.printf("%-22s %,d sats (expected %,d)%n", "total billed", total, TENANTS * 60_000L);
            System.err.printf("%-22s %.1f s%n", "tick time", seconds);
            System.err.printf("%-22s %.0f MiB (sum of heap pools' peaks; -Xmx %d MiB)%n", "peak heap",
                    peakHeap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576);
        }
        System.exit(0);
    }

    private static void seed(TestDatabase test) {
        test.jdbi().useTransaction(h -> {
            var tenants = h.prepareBatch("INSERT INTO tenants (pubkey, created_at, billing_anchor, status) VALUES (?, ?, ?, 'active')");
            var relays = h.prepareBatch("INSERT INTO relays (id, tenant, subdomain, schema, name, plan, status, secret, "
                    + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)");
            var activity = h.prepareBatch("INSERT INTO activity (id, tenant, created_at, activity_type, resource_type, "
                    + "resource_id, snapshot) VALUES (?, ?, ?, ?, 'relay', ?, ?)");
            String secret = KeyPair.generate().secretHex();
            for (int t = 0; t < TENANTS; t++) {
                String tenant = String.format("%064x", t + 1);
                tenants.add(tenant, ANCHOR - 86400, ANCHOR);
                for (String plan : new String[]{"basic", "growth"}) {
                    String id = Ids.random();
                    String sub = plan + "-" + t;
                    relays.add(id, tenant, sub, sub.replace('-', '_'), sub, plan, secret, ANCHOR - 3600, ANCHOR);
                    activity.add(Ids.random(), tenant, ANCHOR - 3600, "create_relay", id,
                            "{\"plan\":\"" + plan + "\",\"status\":\"new\"}");
                    activity.add(Ids.random(), tenant, ANCHOR, "activate_relay", id,
                            "{\"plan\":\"" + plan + "\",\"status\":\"active\"}");
                }
            }
            tenants.execute();
            relays.execute();
            activity.execute();
        });
    }
}
