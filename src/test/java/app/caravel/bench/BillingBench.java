package app.caravel.bench;

import app.caravel.CaravelConfiguration;
import app.caravel.billing.Invoicer;
import app.caravel.billing.Wallets;
import app.caravel.db.Ids;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.NwcUri;
import app.caravel.robot.RobotNotifier;
import app.caravel.support.Ports;
import app.caravel.support.TestApps;
import app.caravel.support.TestDatabase;
import app.caravel.support.TestRelay;
import app.caravel.support.WalletService;
import io.dropwizard.testing.DropwizardTestSupport;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * `make bench-billing`: 10,000 tenants with 20,000 paid relays (one basic, one growth each, live for the whole
 * period), billed twice:
 * <ol>
 *   <li>the tick's own work, in one thread, against a wallet that answers make_invoice at once (replaying
 *   activity, pricing, claiming and writing invoices, items, activity and DMs);</li>
 *   <li>the service as it runs: the real app with its JobRunr workers fanning out one job per tenant and per
 *   invoice, against NIP-47 wallets on a loopback relay that answer every request after 250 ms. Printed:
 *   seconds to invoice all, seconds to collect all, wallet calls, the most in flight at once, peak heap.</li>
 * </ol>
 */
public final class BillingBench {
    private static final int TENANTS = 10_000;
    private static final long ANCHOR = Instant.parse("2025-04-15T00:00:00Z").getEpochSecond();
    private static final long AFTER = Instant.parse("2025-05-15T01:00:00Z").getEpochSecond();
    private static final Duration LATENCY = Duration.ofMillis(250);

    public static void main(String[] args) throws Exception {
        double instant = instantWallet();
        if (args.length > 0 && args[0].equals("tick-only")) {
            System.err.printf("tick alone, instant wallet: %.1f s%n", instant);
            System.exit(0);
        }
        LatencyRun slow = latencyWallet();
        System.err.printf("%nbilling over %,d tenants / %,d relays, %d cores, SQLite%n", TENANTS, TENANTS * 2,
                Runtime.getRuntime().availableProcessors());
        System.err.printf("%-44s %10s   %s%n", "figure", "this run", "target");
        System.err.printf("%-44s %9.1f s   ≤ 1.2 × the tick before the fan-out (16.9 s on this machine, 2026-11-25: ≤ 20.3 s)%n", "tick alone, instant wallet", instant);
        System.err.printf("%-44s %9.1f s%n", "invoice all, wallet answering after 250 ms", slow.invoiceSeconds);
        System.err.printf("%-44s %9.1f s%n", "collect all, wallet answering after 250 ms", slow.collectSeconds);
        System.err.printf("%-44s %9.1f s   ≤ 300 s%n", "invoicing and collection together", slow.invoiceSeconds + slow.collectSeconds);
        System.err.printf("%-44s %,10d   (%.0f calls/s; ≥ 100/s)%n", "wallet calls", slow.calls,
                slow.calls / (slow.invoiceSeconds + slow.collectSeconds));
        System.err.printf("%-44s %,10d%n", "wallet calls in flight at most", slow.maxInFlight);
        System.err.printf("%-44s %,10d / %,d%n", "invoices made / paid", slow.made, slow.paid);
        System.err.printf("%-44s %9.0f MiB   ≤ 256 MiB (app, workers, relay and wallet doubles in one JVM)%n",
                "peak heap during the run", slow.peakHeapMiB);
        System.exit(0);
    }

    /** The tick's own cost, every tenant in this thread, with a wallet that answers at once. */
    private static double instantWallet() throws Exception {
        Path dir = Files.createTempDirectory("caravel-billing-bench");
        try (TestDatabase test = new TestDatabase(dir)) {
            seed(test, t -> null);
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
            long start = System.nanoTime();
            Invoicer.TickResult result = invoicer.tick(AFTER);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (result.invoices() != TENANTS) {
                throw new IllegalStateException("expected " + TENANTS + " invoices, made " + result.invoices());
            }
            return seconds;
        }
    }

    private record LatencyRun(double invoiceSeconds, double collectSeconds, long calls, int maxInFlight, long made,
                              long paid, double peakHeapMiB) {
    }

    /** The real app and its workers against wallets that take 250 ms to answer anything. */
    private static LatencyRun latencyWallet() throws Exception {
        Path dir = Files.createTempDirectory("caravel-billing-bench");
        try (TestRelay relay = TestRelay.start()) {
            WalletService.Ledger ledger = new WalletService.Ledger();
            try (WalletService platform = WalletService.start(relay, ledger, "nip44_v2");
                 WalletService wallets = WalletService.start(relay, ledger, "nip44_v2")) {
                platform.answerAfter(LATENCY);
                wallets.answerAfter(LATENCY);
                wallets.setBalanceSats(TENANTS * 60_000L * 2);
                try (TestDatabase test = new TestDatabase(dir)) {
                    seed(test, t -> wallets.uri(KeyPair.generate()));
                }
                int port = Ports.free();
                DropwizardTestSupport<CaravelConfiguration> app = TestApps.support(port, Map.of(
                        "database_url", "sqlite://" + dir.resolve("test.db"), "nwc_url", platform.uri(KeyPair.generate()),
                        "billing_allow_at", "true"));
                app.before();
                try {
                    System.gc();
                    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
                    var db = TestApps.database(app);
                    long start = System.nanoTime();
                    CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> billingTick(app.getAdminPort()));
                    double invoiced = Double.NaN;
                    while (!run.isDone()) {
                        if (Double.isNaN(invoiced) && count(db, "SELECT count(*) FROM invoices WHERE bolt11 IS NOT NULL") == TENANTS) {
                            invoiced = (System.nanoTime() - start) / 1e9;
                        }
                        Thread.sleep(200);
                    }
                    double total = (System.nanoTime() - start) / 1e9;
                    String report = run.get();
                    long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                            .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
                    long made = count(db, "SELECT count(*) FROM invoices WHERE bolt11 IS NOT NULL");
                    long paid = count(db, "SELECT count(*) FROM invoices WHERE status = 'paid'");
                    if (paid != TENANTS) {
                        System.err.println("not every invoice paid: " + report);
                    }
                    return new LatencyRun(invoiced, total - invoiced, platform.calls().size() + wallets.calls().size(),
                            ledger.maxInFlight(), made, paid, peakHeap / 1048576.0);
                } finally {
                    app.after();
                }
            }
        }
    }

    private static long count(app.caravel.db.Database db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static String billingTick(int adminPort) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                            + "/tasks/billing-tick?at=" + AFTER)).POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofMinutes(15)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void seed(TestDatabase test, Function<Integer, String> walletOf) {
        test.jdbi().useTransaction(h -> {
            var tenants = h.prepareBatch("INSERT INTO tenants (pubkey, nwc_url, created_at, billing_anchor, status) "
                    + "VALUES (?, ?, ?, ?, 'active')");
            var relays = h.prepareBatch("INSERT INTO relays (id, tenant, subdomain, schema, name, plan, status, secret, "
                    + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)");
            var activity = h.prepareBatch("INSERT INTO activity (id, tenant, created_at, activity_type, resource_type, "
                    + "resource_id, snapshot) VALUES (?, ?, ?, ?, 'relay', ?, ?)");
            String secret = KeyPair.generate().secretHex();
            for (int t = 0; t < TENANTS; t++) {
                String tenant = String.format("%064x", t + 1);
                tenants.add(tenant, walletOf.apply(t), ANCHOR - 86400, ANCHOR);
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
