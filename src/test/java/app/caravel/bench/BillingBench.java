package app.caravel.bench;

import app.caravel.billing.Invoicer;
import app.caravel.billing.Wallets;
import app.caravel.db.Ids;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.NwcUri;
import app.caravel.robot.RobotNotifier;
import app.caravel.support.AppProcess;
import app.caravel.support.BillingDates;
import app.caravel.support.Ports;
import app.caravel.support.TestDatabase;
import app.caravel.support.TestPostgres;
import app.caravel.support.TestRelay;
import app.caravel.support.WalletService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
 *   <li>the service as it runs: the real server in its own JVM with its JobRunr workers fanning out one job per
 *   tenant and per invoice, against NIP-47 wallets on a loopback relay that answer every request after 250 ms,
 *   on SQLite (one process), PostgreSQL (one process) and PostgreSQL (two processes). Printed side by side:
 *   seconds to invoice all, seconds to collect all, wallet calls, the most in flight at once, peak RSS.</li>
 * </ol>
 */
public final class BillingBench {
    private static final int TENANTS = 10_000;
    private static final long ANCHOR = BillingDates.ANCHOR;
    private static final long AFTER = BillingDates.AT;
    private static final Duration LATENCY = Duration.ofMillis(250);

    public static void main(String[] args) throws Exception {
        double instant = instantWallet();
        if (args.length > 0 && args[0].equals("tick-only")) {
            System.err.printf("tick alone, instant wallet: %.1f s%n", instant);
            System.exit(0);
        }
        List<LatencyRun> runs = List.of(
                latencyWallet("SQLite, 1 process", dir -> "sqlite://" + dir.resolve("bench.db"), 1),
                latencyWallet("PostgreSQL, 1 process", dir -> TestPostgres.newDatabaseUrl(), 1),
                latencyWallet("PostgreSQL, 2 processes", dir -> TestPostgres.newDatabaseUrl(), 2));
        System.err.printf("%nbilling over %,d tenants / %,d relays, %d cores; the service in its own JVM(s), the wallet"
                        + " and relay doubles in this one%n", TENANTS, TENANTS * 2, Runtime.getRuntime().availableProcessors());
        System.err.printf("%-44s %9.1f s   ≤ 1.2 × the tick before the fan-out (16.9 s on this machine, 2026-11-25: ≤ 20.3 s)%n",
                "tick alone (SQLite), instant wallet", instant);
        System.err.printf("%-44s", "wallets answering after 250 ms");
        runs.forEach(r -> System.err.printf(" %24s", r.label));
        System.err.printf("   target%n");
        row("invoice all (s)", runs, r -> String.format("%.1f", r.invoiceSeconds), "");
        row("collect all (s)", runs, r -> String.format("%.1f", r.collectSeconds), "");
        row("invoicing and collection (s)", runs, r -> String.format("%.1f", r.invoiceSeconds + r.collectSeconds), "≤ 300 s");
        row("wallet calls/s", runs, r -> String.format("%,d (%.0f/s)", r.calls, r.calls / (r.invoiceSeconds + r.collectSeconds)), "≥ 100/s");
        row("wallet calls in flight at most", runs, r -> String.valueOf(r.maxInFlight), "");
        row("invoices made / paid", runs, r -> r.made + " / " + r.paid, String.valueOf(TENANTS));
        row("peak RSS per server process (MiB)", runs, r -> String.format("%.0f", r.peakRssMiB), "");
        System.exit(0);
    }

    private static void row(String what, List<LatencyRun> runs, Function<LatencyRun, String> cell, String target) {
        System.err.printf("%-44s", what);
        runs.forEach(r -> System.err.printf(" %24s", cell.apply(r)));
        System.err.printf("   %s%n", target);
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

    private record LatencyRun(String label, double invoiceSeconds, double collectSeconds, long calls, int maxInFlight,
                              long made, long paid, double peakRssMiB) {
    }

    /**
     * The service as operators run it, {@code processes} server JVMs on one database, against wallets that take
     * 250 ms to answer anything; the tick is asked of the first, the workers of all take the jobs.
     */
    private static LatencyRun latencyWallet(String label, Function<Path, String> database, int processes) throws Exception {
        Path dir = Files.createTempDirectory("caravel-billing-bench");
        try (TestRelay relay = TestRelay.start()) {
            WalletService.Ledger ledger = new WalletService.Ledger();
            try (WalletService platform = WalletService.start(relay, ledger, "nip44_v2");
                 WalletService wallets = WalletService.start(relay, ledger, "nip44_v2")) {
                platform.answerAfter(LATENCY);
                wallets.answerAfter(LATENCY);
                wallets.setBalanceSats(TENANTS * 60_000L * 2);
                String url = database.apply(dir);
                try (TestDatabase test = new TestDatabase(url)) {
                    seed(test, t -> wallets.uri(KeyPair.generate()));
                }
                Map<String, String> settings = Map.of("database_url", url, "nwc_url", platform.uri(KeyPair.generate()),
                        "billing_allow_at", "true", "allow_private_relays", "true", "dashboard_port", "0");
                Path log = Files.createTempFile("billing-bench", ".log");
                List<AppProcess> servers = new java.util.ArrayList<>();
                List<Integer> adminPorts = new java.util.ArrayList<>();
                try (TestDatabase test = TestDatabase.existing(url)) {
                    for (int i = 0; i < processes; i++) {
                        Map<String, String> own = new java.util.HashMap<>(settings);
                        own.put("port", String.valueOf(Ports.free()));
                        adminPorts.add(Ports.free());
                        servers.add(AppProcess.start(own, adminPorts.get(i), dir, log));
                    }
                    var db = test.db();
                    long start = System.nanoTime();
                    CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> servers.get(0).billingTick(AFTER));
                    double invoiced = Double.NaN;
                    while (!run.isDone()) {
                        if (Double.isNaN(invoiced) && count(db, "SELECT count(*) FROM invoices WHERE bolt11 IS NOT NULL") == TENANTS) {
                            invoiced = (System.nanoTime() - start) / 1e9;
                        }
                        Thread.sleep(200);
                    }
                    double total = (System.nanoTime() - start) / 1e9;
                    String report = run.get();
                    long made = count(db, "SELECT count(*) FROM invoices WHERE bolt11 IS NOT NULL");
                    long paid = count(db, "SELECT count(*) FROM invoices WHERE status = 'paid'");
                    if (paid != TENANTS) {
                        System.err.println(label + ": not every invoice paid: " + report + " (log " + log + ")");
                    }
                    double rss = servers.stream().mapToDouble(AppProcess::peakRssMiB).max().orElse(Double.NaN);
                    return new LatencyRun(label, invoiced, total - invoiced, platform.calls().size() + wallets.calls().size(),
                            ledger.maxInFlight(), made, paid, rss);
                } finally {
                    for (AppProcess server : servers) {
                        server.close();
                    }
                }
            }
        }
    }

    private static long count(app.caravel.db.Database db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
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
