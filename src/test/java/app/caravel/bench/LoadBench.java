package app.caravel.bench;

import app.caravel.db.Ids;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip98;
import app.caravel.support.AppProcess;
import app.caravel.support.Ports;
import app.caravel.support.TestDatabase;
import app.caravel.support.TestPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `make bench-load`: the server in its own JVM ({@code server config.yml}, the heap `make run` gives it), driven
 * by wrk (Debian's package) on loopback with a Lua script rotating pre-signed NIP-98 headers, one per tenant,
 * signed just before each run so they are inside the 60 s window (a POST gets a fresh header each: a header is
 * good for one state change). Printed for each engine, from one run: the servlet floor (admin /ping), the Jersey
 * floor (the API's 401 without a header), the authenticated reads, POST /relays, their ratios to the Jersey
 * floor, and the server's resident memory after the run.
 */
public final class LoadBench {
    private static final int TENANTS = 1_000;
    /** Tenants without relays whose POSTs warm the JIT, so the measured tenants keep exactly 10 relays. */
    private static final int WARMUP_TENANTS = 100;
    private static final int RELAYS_EACH = 10;
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 16);
    private static final int THREADS = 2;
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 3);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final int JIT_WARMUP_SECONDS = 8;
    private static final int POSTS = Integer.getInteger("bench.posts", 40_000);

    private record Result(long requests, double rate, double p50, double p99, long badStatus, long socketErrors,
                          long wraps, double lowRate, double highRate) {
        static final Result NOT_RUN = new Result(0, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, Double.NaN, Double.NaN);

        static Result parse(String wrkOutput) {
            String line = wrkOutput.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("wrk printed no result:\n" + wrkOutput));
            String[] f = line.split(" ");
            double rate = Double.parseDouble(f[2]);
            return new Result(Long.parseLong(f[1]), rate, Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), rate, rate);
        }

        /** The run of median rate among {@code runs}, with their range of rates and every run's errors. */
        static Result medianOf(List<Result> runs) {
            List<Result> sorted = runs.stream().sorted(java.util.Comparator.comparingDouble(Result::rate)).toList();
            Result m = sorted.get(sorted.size() / 2);
            return new Result(m.requests, m.rate, m.p50, m.p99, runs.stream().mapToLong(Result::badStatus).sum(),
                    runs.stream().mapToLong(Result::socketErrors).sum(), runs.stream().mapToLong(Result::wraps).sum(),
                    sorted.get(0).rate, sorted.get(sorted.size() - 1).rate);
        }

        String cell(boolean non2xxExpected) {
            long errors = socketErrors + (non2xxExpected ? 0 : badStatus);
            return String.format("%,6.0f/s (%,.0f-%,.0f) p50 %5.2f p99 %6.2f ms err %d", rate, lowRate, highRate, p50,
                    p99, errors);
        }
    }

    private record EngineRun(String engine, Map<String, Result> results, double rssMiB, double peakRssMiB,
                             double fileRssMiB, Drain drain) {
    }

    public static void main(String[] args) throws Exception {
        List<EngineRun> runs = new ArrayList<>();
        for (String engine : System.getProperty("bench.engines", "sqlite,postgres").split(",")) {
            runs.add(run(engine.trim()));
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("wrk -t%d -c%d -d%ds on loopback beside the server, %d cores; %,d tenants × %d relays; "
                        + "each row: the median of %d runs (their range)", THREADS, CONNECTIONS, SECONDS,
                Runtime.getRuntime().availableProcessors(), TENANTS, RELAYS_EACH, RUNS));
        StringBuilder header = new StringBuilder(String.format("%-38s", "what"));
        runs.forEach(r -> header.append(String.format(" | %-60s", r.engine)));
        lines.add(header.toString());
        String[][] rows = {
                {"servlet floor: admin GET /ping", "ping"},
                {"Jersey floor: API 401 without a header", "floor"},
                {"GET /identity (NIP-98 + tenant lookup)", "identity"},
                {"GET /relays (10 relays each)", "relays"},
                {"GET /tenants/:pubkey/relays", "tenantRelays"},
                {"POST /relays (fresh header each)", "create"},
        };
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(String.format("%-38s", row[0]));
            runs.forEach(r -> line.append(String.format(" | %-60s", r.results.get(row[1]).cell(row[1].equals("floor")))));
            lines.add(line.toString());
        }
        for (String[] ratio : new String[][]{{"identity", "GET /identity ÷ Jersey floor", "≥ 0.60"},
                {"relays", "GET /relays ÷ Jersey floor", "≥ 0.45"}}) {
            StringBuilder line = new StringBuilder(String.format("%-38s", ratio[1]));
            runs.forEach(r -> line.append(String.format(" | %-60s", String.format("%.2f (target %s)",
                    r.results.get(ratio[0]).rate / r.results.get("floor").rate, ratio[2]))));
            lines.add(line.toString());
        }
        StringBuilder rss = new StringBuilder(String.format("%-38s", "server RSS after the run / peak"));
        runs.forEach(r -> rss.append(String.format(" | %-60s", String.format("%.0f / %.0f MiB (target ≤ 300)", r.rssMiB, r.peakRssMiB))));
        lines.add(rss.toString());
        StringBuilder file = new StringBuilder(String.format("%-38s", "  of which file pages mapped in"));
        runs.forEach(r -> file.append(String.format(" | %-60s", String.format("%.0f MiB (jars and the JVM's own files)", r.fileRssMiB))));
        lines.add(file.toString());
        StringBuilder drain = new StringBuilder(String.format("%-38s", "POST's sync jobs queued at its end"));
        runs.forEach(r -> drain.append(String.format(" | %-60s", r.drain)));
        lines.add(drain.toString());
        lines.add("targets: p99 ≤ 10 ms for the authenticated reads; POST /relays ≥ 1,000/s with p99 ≤ 50 ms; no errors");
        System.err.println();
        lines.forEach(System.err::println);
        Files.write(Path.of("target", "bench-load.txt"), lines);
        System.exit(0);
    }

    private static EngineRun run(String engine) throws Exception {
        Path dir = Files.createTempDirectory("caravel-load-bench");
        String url = switch (engine) {
            case "sqlite" -> "sqlite://" + dir.resolve("bench.db");
            case "postgres" -> TestPostgres.newDatabaseUrl();
            default -> throw new IllegalArgumentException("bench.engines: sqlite and/or postgres, got " + engine);
        };
        List<KeyPair> all;
        try (TestDatabase test = new TestDatabase(url)) {
            all = seed(test);
        }
        List<KeyPair> tenants = all.subList(0, TENANTS);
        List<KeyPair> warmupTenants = all.subList(TENANTS, all.size());
        int port = Ports.free();
        int adminPort = Ports.free();
        String base = "http://127.0.0.1:" + port;
        Path log = Files.createTempFile("load-bench", ".log");
        Path script = dir.resolve("rotate.lua");
        try (InputStream lua = LoadBench.class.getResourceAsStream("/bench/rotate.lua")) {
            Files.write(script, lua.readAllBytes());
        }
        Map<String, Result> results = new LinkedHashMap<>();
        Map<String, String> settings = new LinkedHashMap<>(Map.of("database_url", url, "port", String.valueOf(port),
                "dashboard_port", "0", "logging.level", "WARN"));
        // for experiments: -Dbench.settings=workers=4,job_poll_seconds=10 (config.yml keys)
        for (String pair : System.getProperty("bench.settings", "").split(",")) {
            if (pair.contains("=")) {
                settings.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
            }
        }
        try (AppProcess server = AppProcess.start(settings, adminPort, dir, log)) {
            Nip98 nip98 = new Nip98(Clock.systemUTC(), 60);
            // the JIT first: a floor measured on a cold server came out below the signed reads measured after it
            runWrk(script, base, lines(dir, "floor", List.of("GET\t/relays\t\t")).write(), JIT_WARMUP_SECONDS);
            runWrk(script, base, signedGets(dir, nip98, base, tenants, k -> "/relays"), JIT_WARMUP_SECONDS);
            Map<String, Callable<Result>> rows = new LinkedHashMap<>();
            rows.put("ping", () -> wrk(script, "http://127.0.0.1:" + adminPort, lines(dir, "ping", List.of("GET\t/ping\t\t"))));
            rows.put("floor", () -> wrk(script, base, lines(dir, "floor", List.of("GET\t/relays\t\t"))));
            rows.put("identity", () -> wrk(script, base, () -> signedGets(dir, nip98, base, tenants, k -> "/identity")));
            rows.put("relays", () -> wrk(script, base, () -> signedGets(dir, nip98, base, tenants, k -> "/relays")));
            rows.put("tenantRelays", () -> wrk(script, base,
                    () -> signedGets(dir, nip98, base, tenants, k -> "/tenants/" + k.pubkey() + "/relays")));
            int[] serial = {0};
            rows.put("create", () -> {
                // last, with a JIT warm-up of its own on other tenants; their sync jobs run before the measured run
                runWrk(script, base, signedPosts(dir, nip98, base, warmupTenants, serial), JIT_WARMUP_SECONDS);
                return wrk(script, base, () -> signedPosts(dir, nip98, base, tenants, serial), () -> Drain.measure(url));
            });
            // for experiments: -Dbench.only=floor,create measures those rows alone (the others print as not run)
            List<String> only = List.of(System.getProperty("bench.only", String.join(",", rows.keySet())).split(","));
            for (var row : rows.entrySet()) {
                results.put(row.getKey(), only.contains(row.getKey()) ? row.getValue().call() : Result.NOT_RUN);
            }
            double rss = server.rssMiB();
            double peak = server.peakRssMiB();
            double file = server.fileRssMiB();
            return new EngineRun(engine, results, rss, peak, file, Drain.measure(url));
        }
    }

    /**
     * The sync jobs the POSTs enqueued that the workers had not run when the load stopped, and how long they
     * took to run after it: the request rate is only sustainable where this stays short.
     */
    private record Drain(long waiting, double seconds) {
        static Drain measure(String url) throws Exception {
            try (TestDatabase test = TestDatabase.existing(url)) {
                long start = System.nanoTime();
                long waiting = waiting(test);
                long left = waiting;
                while (left > 0 && System.nanoTime() - start < 300_000_000_000L) {
                    Thread.sleep(100);
                    left = waiting(test);
                }
                return new Drain(waiting, left > 0 ? Double.NaN : (System.nanoTime() - start) / 1e9);
            }
        }

        private static long waiting(TestDatabase test) {
            return test.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM jobrunr_jobs "
                    + "WHERE state IN ('ENQUEUED', 'PROCESSING')").mapTo(Long.class).one());
        }

        @Override
        public String toString() {
            return String.format("%,d, all run %.1f s later", waiting, seconds);
        }
    }

    /** Lines of the rotation file for one run; asked again for the warm-up and the measured run. */
    private interface Lines {
        Path write() throws IOException;
    }

    private static Lines lines(Path dir, String name, List<String> content) {
        return () -> Files.write(dir.resolve(name + ".txt"), content);
    }

    private static Path signedGets(Path dir, Nip98 nip98, String base, List<KeyPair> tenants,
                                   java.util.function.Function<KeyPair, String> path) throws IOException {
        List<String> out = new ArrayList<>();
        for (KeyPair tenant : tenants) {
            String p = path.apply(tenant);
            out.add("GET\t" + p + "\t" + nip98.header(tenant, base + p, "GET", null) + "\t");
        }
        return Files.write(dir.resolve("gets.txt"), out);
    }

    private static Path signedPosts(Path dir, Nip98 nip98, String base, List<KeyPair> tenants, int[] serial)
            throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < POSTS; i++) {
            KeyPair tenant = tenants.get(i % tenants.size());
            String body = "{\"subdomain\":\"load-" + (serial[0]++) + "\",\"info_name\":\"Load\",\"plan\":\"free\"}";
            out.add("POST\t/relays\t" + nip98.header(tenant, base + "/relays", "POST",
                    body.getBytes(StandardCharsets.UTF_8)) + "\t" + body);
        }
        return Files.write(dir.resolve("posts.txt"), out);
    }

    /**
     * A warm-up, then {@link #RUNS} measured runs, each with lines written just before it; the run of median
     * rate is reported with the range (this 2-core machine's neighbours move a single run by a third).
     * {@code beforeEach} runs before each measured run.
     */
    private static Result wrk(Path script, String base, Lines lines, Callable<?> beforeEach) throws Exception {
        runWrk(script, base, lines.write(), WARMUP_SECONDS);
        List<Result> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            beforeEach.call();
            Path measured = lines.write();
            Result result = Result.parse(runWrk(script, base, measured, SECONDS));
            if (result.wraps > 0 && measured.getFileName().toString().equals("posts.txt")) {
                throw new IllegalStateException("POST headers ran out (replays would be refused): raise -Dbench.posts");
            }
            runs.add(result);
        }
        return Result.medianOf(runs);
    }

    private static Result wrk(Path script, String base, Lines lines) throws Exception {
        return wrk(script, base, lines, () -> null);
    }

    private static String runWrk(Path script, String base, Path lines, int seconds) throws Exception {
        Process wrk = new ProcessBuilder("wrk", "-t" + THREADS, "-c" + CONNECTIONS, "-d" + seconds + "s", "--latency",
                "-s", script.toString(), base, "--", lines.toString(), String.valueOf(THREADS))
                .redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + out);
        }
        return out;
    }

    /** 1,000 tenants with 10 relays each, then the warm-up tenants with none, written straight to the database. */
    private static List<KeyPair> seed(TestDatabase test) {
        List<KeyPair> tenants = new ArrayList<>();
        test.jdbi().useTransaction(h -> {
            var rows = h.prepareBatch("INSERT INTO tenants (pubkey, created_at, status) VALUES (?, 1, 'active')");
            var relays = h.prepareBatch("INSERT INTO relays (id, tenant, subdomain, schema, name, plan, status, secret, "
                    + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'basic', 'active', ?, 1, 1)");
            for (int t = 0; t < TENANTS + WARMUP_TENANTS; t++) {
                KeyPair keys = KeyPair.generate();
                tenants.add(keys);
                rows.add(keys.pubkey());
                for (int r = 0; t < TENANTS && r < RELAYS_EACH; r++) {
                    String sub = "t" + t + "-r" + r;
                    relays.add(Ids.random(), keys.pubkey(), sub, sub.replace('-', '_'), "Relay " + sub, keys.secretHex());
                }
            }
            rows.execute();
            relays.execute();
        });
        return tenants;
    }
}
