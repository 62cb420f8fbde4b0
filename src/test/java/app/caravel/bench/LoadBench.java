package app.caravel.bench;

import app.caravel.db.Ids;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip98;
import app.caravel.support.AppProcess;
import app.caravel.support.Ports;
import app.caravel.support.ProcessCpu;
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

/**
 * `make bench-load`: the server in its own JVM ({@code server config.yml}, the heap `make run` gives it), driven
 * by wrk (Debian's package) on loopback with a Lua script rotating pre-signed NIP-98 headers, one per tenant,
 * signed just before each run so they are inside the 60 s window (a POST gets a fresh header each: a header is
 * good for one state change). Printed for each engine, from one run: the servlet floor (admin /ping), the Jersey
 * floor (the API's 401 without a header), the authenticated reads, POST /relays (after its own JIT warm-up, whose
 * runs are printed too), the reads' ratios to the Jersey floor, the CPU one request cost the server (and
 * PostgreSQL's processes) and the JIT compiler's share of it, on SQLite the time a request held the writer's
 * permit, and the server's resident memory after the run. Warm-ups go on until the JIT compiler's threads take
 * under 5 % of the server's CPU, so the rows measure the server's steady state, not its compiler.
 * <p>
 * The GET rows run in rounds, one run of each per round, and a ratio is the median of its rounds' ratios: this
 * 2-core machine's speed drifts over minutes, and a floor measured a minute before its read moved a ratio by
 * a tenth. {@code -Dcaravel.pg-statements=true} adds PostgreSQL's time per POST by statement.
 */
public final class LoadBench {
    private static final int TENANTS = 1_000;
    /** Tenants without relays whose POSTs warm the JIT, so the measured tenants keep exactly 10 relays. */
    private static final int WARMUP_TENANTS = 100;
    private static final int RELAYS_EACH = 10;
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 16);
    private static final int THREADS = 2;
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 5);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    /**
     * Warm-up goes on until the JIT compiler's threads took less than this share of the server's CPU over a
     * warm-up round: on a slow day this machine's C2 still took 16-28 % of it after the fixed warm-ups used
     * before (40 s of GETs, 40 s of POSTs), so the rows measured the compiler as much as the requests.
     */
    private static final double JIT_QUIET = Double.parseDouble(System.getProperty("bench.jit-quiet", "0.05"));
    /** GET warm-up rounds (each GET row for {@link #WARMUP_SECONDS}) at least and at most. */
    private static final int GET_WARMUPS_MIN = 2;
    private static final int GET_WARMUPS_MAX = Integer.getInteger("bench.get-warmups", 10);
    /** POST's own warm-up runs of {@link #SECONDS} on tenants outside the measured ones, at least and at most. */
    private static final int POST_WARMUPS_MIN = 2;
    private static final int POST_WARMUPS_MAX = Integer.getInteger("bench.post-warmups", 12);
    private static final int POSTS = Integer.getInteger("bench.posts", 40_000);

    private record Result(long requests, double rate, double p50, double p99, long badStatus, long socketErrors,
                          long wraps, double lowRate, double highRate, double serverCpuMicros, double dbCpuMicros,
                          double jitShare, double writerHeldMicros, double writerCpuMicros, double writerBusy) {
        static final Result NOT_RUN = new Result(0, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        /** {@code cpu}: CPU seconds the server and a separate database server used during the run. */
        static Result parse(String wrkOutput, CpuSeconds cpu) {
            String line = wrkOutput.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("wrk printed no result:\n" + wrkOutput));
            String[] f = line.split(" ");
            double rate = Double.parseDouble(f[2]);
            long requests = Long.parseLong(f[1]);
            return new Result(requests, rate, Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), rate, rate,
                    cpu.server * 1e6 / requests, cpu.database * 1e6 / requests, cpu.jitShare(),
                    cpu.writerHeld * 1e6 / requests, cpu.writerCpu * 1e6 / requests, cpu.writerHeld / cpu.wall);
        }

        /**
         * The run of median rate among {@code runs}, with their range of rates and every run's errors; its p50
         * and p99 are the medians of the runs' own (one run's stall no longer decides the row's p99 when that run
         * happens to be the one of median rate: seen once, p99 32 ms for GET /identity, 7.28 ms when run again).
         */
        static Result medianOf(List<Result> runs) {
            List<Result> sorted = runs.stream().sorted(java.util.Comparator.comparingDouble(Result::rate)).toList();
            Result m = sorted.get(sorted.size() / 2);
            return new Result(m.requests, m.rate, median(runs, Result::p50), median(runs, Result::p99),
                    runs.stream().mapToLong(Result::badStatus).sum(),
                    runs.stream().mapToLong(Result::socketErrors).sum(), runs.stream().mapToLong(Result::wraps).sum(),
                    sorted.get(0).rate, sorted.get(sorted.size() - 1).rate, m.serverCpuMicros, m.dbCpuMicros,
                    m.jitShare, m.writerHeldMicros, m.writerCpuMicros, m.writerBusy);
        }

        private static double median(List<Result> runs, java.util.function.ToDoubleFunction<Result> figure) {
            double[] sorted = runs.stream().mapToDouble(figure).sorted().toArray();
            return sorted[sorted.length / 2];
        }

        String cell(boolean non2xxExpected) {
            long errors = socketErrors + (non2xxExpected ? 0 : badStatus);
            return String.format("%,6.0f/s (%,.0f-%,.0f) p50 %5.2f p99 %6.2f ms err %d", rate, lowRate, highRate, p50,
                    p99, errors);
        }
    }

    private record EngineRun(String engine, Map<String, Result> results, Map<String, Ratio> ratios, double rssMiB,
                             double peakRssMiB, double fileRssMiB, Drain drain, List<String> getWarmups,
                             List<String> postWarmups, List<String> breakdown) {
        /** The median run's CPU per request of each row, in the rows' order: floor, /identity, /relays, … */
        String perRow(java.util.function.ToDoubleFunction<Result> micros, String format) {
            String[][] rows = {{"floor", "floor"}, {"identity", "id"}, {"relays", "relays"}, {"tenantRelays", "tenant's"},
                    {"create", "POST"}};
            return String.join(" · ", java.util.Arrays.stream(rows).map(row -> {
                double value = micros.applyAsDouble(results.get(row[0]));
                return row[1] + " " + (Double.isNaN(value) ? "-" : String.format(format, value));
            }).toList());
        }
    }

    /**
     * A read's rate over the Jersey floor's, computed per round (the two runs of a round are at most a minute
     * apart, where the machine's speed drifts far less than over the whole bench): the median and the range.
     */
    private record Ratio(double median, double low, double high) {
        static final Ratio NOT_RUN = new Ratio(Double.NaN, Double.NaN, Double.NaN);

        static Ratio of(List<Result> reads, List<Result> floors) {
            if (reads.isEmpty() || floors.isEmpty()) {
                return NOT_RUN;
            }
            List<Double> each = new ArrayList<>();
            for (int i = 0; i < reads.size(); i++) {
                each.add(reads.get(i).rate / floors.get(i).rate);
            }
            each.sort(null);
            return new Ratio(each.get(each.size() / 2), each.get(0), each.get(each.size() - 1));
        }
    }

    public static void main(String[] args) throws Exception {
        double schnorr = schnorrVerificationsPerSecond();
        List<EngineRun> runs = new ArrayList<>();
        for (String engine : System.getProperty("bench.engines", "sqlite,postgres").split(",")) {
            runs.add(run(engine.trim()));
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("wrk -t%d -c%d -d%ds on loopback beside the server, %d cores; %,d tenants × %d relays; "
                        + "each row: the run of median rate among %d (the rates' range), p50 and p99 the medians of the "
                        + "runs'; the GET rows run in rounds, one run of each per round", THREADS, CONNECTIONS, SECONDS,
                Runtime.getRuntime().availableProcessors(), TENANTS, RELAYS_EACH, RUNS));
        // this 2-core machine's speed has differed 2.6 times between days: absolute figures compare by this line
        lines.add(String.format("this machine now: %,.0f Schnorr verifications/s on one thread (libsecp256k1), "
                + "the measure to compare days by", schnorr));
        lines.add(row(runs, "what", EngineRun::engine));
        String[][] rows = {
                {"servlet floor: admin GET /ping", "ping"},
                {"Jersey floor: API 401 without a header", "floor"},
                {"GET /identity (NIP-98 + tenant lookup)", "identity"},
                {"GET /relays (10 relays each)", "relays"},
                {"GET /tenants/:pubkey/relays", "tenantRelays"},
                {"POST /relays (fresh header each)", "create"},
        };
        for (String[] row : rows) {
            lines.add(row(runs, row[0], r -> r.results.get(row[1]).cell(row[1].equals("floor"))));
        }
        lines.add(row(runs, "  its warm-up runs, req/s (JIT's share)", r -> String.join(" → ", r.postWarmups)));
        lines.add(row(runs, "GET warm-up rounds, JIT's share", r -> String.join(" → ", r.getWarmups)));
        for (String[] ratio : new String[][]{{"identity", "GET /identity ÷ Jersey floor", "≥ 0.60"},
                {"relays", "GET /relays ÷ Jersey floor", "≥ 0.45"}}) {
            lines.add(row(runs, ratio[1], r -> {
                Ratio of = r.ratios.get(ratio[0]);
                return String.format("%.2f (%.2f-%.2f, per round; target %s)", of.median, of.low, of.high, ratio[2]);
            }));
        }
        lines.add(row(runs, "server CPU µs per request", r -> r.perRow(Result::serverCpuMicros, "%,.0f")));
        lines.add(row(runs, "  of which the JIT compiler's threads", r -> r.perRow(res -> res.jitShare * 100, "%.1f %%")));
        if (runs.stream().anyMatch(r -> r.engine.equals("postgres"))) {
            lines.add(row(runs, "  PostgreSQL's CPU µs per request", r -> r.engine.equals("postgres")
                    ? r.perRow(Result::dbCpuMicros, "%,.0f") : "(inside the server)"));
        }
        if (runs.stream().anyMatch(r -> r.engine.equals("sqlite"))) {
            lines.add(row(runs, "SQLite write permit held, µs per req", r -> r.engine.equals("sqlite")
                    ? r.perRow(Result::writerHeldMicros, "%,.0f") : "(row locks, no permit)"));
            lines.add(row(runs, "  of which the holders' CPU, µs", r -> r.engine.equals("sqlite")
                    ? r.perRow(Result::writerCpuMicros, "%,.0f") : ""));
            lines.add(row(runs, "  share of the run it was held", r -> r.engine.equals("sqlite")
                    ? r.perRow(res -> res.writerBusy * 100, "%.0f %%") : ""));
        }
        lines.add(row(runs, "server RSS after the run / peak",
                r -> String.format("%.0f / %.0f MiB (target ≤ 300)", r.rssMiB, r.peakRssMiB)));
        lines.add(row(runs, "  of which file pages mapped in",
                r -> String.format("%.0f MiB (jars and the JVM's own files)", r.fileRssMiB)));
        lines.add(row(runs, "POST's sync jobs queued at its end", r -> r.drain.toString()));
        lines.add("targets: p99 ≤ 10 ms for the authenticated reads; POST /relays ≥ 1,000/s with p99 ≤ 50 ms; no errors");
        runs.forEach(r -> lines.addAll(r.breakdown));
        System.err.println();
        lines.forEach(System.err::println);
        Files.write(Path.of("target", "bench-load.txt"), lines);
        System.exit(0);
    }

    /** One line of the table: its label, then each engine's cell. */
    private static String row(List<EngineRun> runs, String label, java.util.function.Function<EngineRun, String> cell) {
        StringBuilder line = new StringBuilder(String.format("%-38s", label));
        runs.forEach(r -> line.append(String.format(" | %-60s", cell.apply(r))));
        return line.toString();
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
        Map<String, Ratio> ratios = new LinkedHashMap<>();
        boolean statements = engine.equals("postgres") && TestPostgres.statementStats();
        List<String> postWarmups = new ArrayList<>();
        String admin = "http://127.0.0.1:" + adminPort;
        Map<String, String> settings = new LinkedHashMap<>(Map.of("database_url", url, "port", String.valueOf(port),
                "dashboard_port", "0", "logging.level", "WARN"));
        // for experiments: -Dbench.settings=workers=4,job_poll_seconds=10 (config.yml keys)
        for (String pair : System.getProperty("bench.settings", "").split(",")) {
            if (pair.contains("=")) {
                settings.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
            }
        }
        try (AppProcess server = AppProcess.start(settings, adminPort, dir, log)) {
            Cpu cpu = () -> {
                WriterSeconds writer = engine.equals("sqlite") ? writerSeconds(admin) : WriterSeconds.NONE;
                return new CpuSeconds(server.cpuSeconds(), server.jitCpuSeconds(),
                        engine.equals("postgres") ? ProcessCpu.ofAllNamed("postgres") : 0, writer.held(), writer.cpu(),
                        System.nanoTime() / 1e9);
            };
            Nip98 nip98 = new Nip98(Clock.systemUTC(), 60);
            // the GET rows run in rounds (one run of each per round), so a ratio compares runs less than a minute apart
            Map<String, GetRow> gets = new LinkedHashMap<>();
            gets.put("ping", new GetRow(admin, lines(dir, "ping", List.of("GET\t/ping\t\t"))));
            gets.put("floor", new GetRow(base, lines(dir, "floor", List.of("GET\t/relays\t\t"))));
            gets.put("identity", new GetRow(base, () -> signedGets(dir, nip98, base, tenants, k -> "/identity")));
            gets.put("relays", new GetRow(base, () -> signedGets(dir, nip98, base, tenants, k -> "/relays")));
            gets.put("tenantRelays", new GetRow(base,
                    () -> signedGets(dir, nip98, base, tenants, k -> "/tenants/" + k.pubkey() + "/relays")));
            // for experiments: -Dbench.only=floor,create measures those rows alone (the others print as not run)
            List<String> only = List.of(System.getProperty("bench.only",
                    String.join(",", gets.keySet()) + ",create").split(","));
            Map<String, List<Result>> rounds = new LinkedHashMap<>();
            gets.keySet().stream().filter(only::contains).forEach(row -> rounds.put(row, new ArrayList<>()));
            // the JIT first, every row in turn until the compiler is quiet: a floor measured on a cold server came
            // out below the signed reads measured after it
            List<String> getWarmups = new ArrayList<>();
            for (int round = 0; !rounds.isEmpty() && round < GET_WARMUPS_MAX; round++) {
                CpuSeconds before = cpu.seconds();
                for (String row : rounds.keySet()) {
                    runWrk(script, gets.get(row).base, gets.get(row).lines.write(), WARMUP_SECONDS);
                }
                double share = cpu.seconds().since(before).jitShare();
                getWarmups.add(String.format("%.0f %%", share * 100));
                if (round + 1 >= GET_WARMUPS_MIN && share < JIT_QUIET) {
                    break;
                }
            }
            for (int round = 0; round < RUNS; round++) {
                for (var row : rounds.entrySet()) {
                    row.getValue().add(measure(script, gets.get(row.getKey()).base, gets.get(row.getKey()).lines, cpu));
                }
            }
            for (String row : gets.keySet()) {
                results.put(row, rounds.containsKey(row) ? Result.medianOf(rounds.get(row)) : Result.NOT_RUN);
            }
            for (String read : List.of("identity", "relays")) {
                ratios.put(read, Ratio.of(rounds.getOrDefault(read, List.of()), rounds.getOrDefault("floor", List.of())));
            }
            long measuredPosts = 0;
            if (only.contains("create")) {
                // last, with a JIT warm-up of its own on other tenants; their sync jobs run before each measured run
                int[] serial = {0};
                // POST's own code paths need the JIT again (its rate climbed 482, 670, 718, 884/s over four 10 s
                // runs on one day): each warm-up run is printed to show where the climb ends
                for (int i = 0; i < POST_WARMUPS_MAX; i++) {
                    Result w = measure(script, base, () -> signedPosts(dir, nip98, base, warmupTenants, serial), cpu);
                    postWarmups.add(String.format("%,.0f (%.0f %%)", w.rate, w.jitShare * 100));
                    if (i + 1 >= POST_WARMUPS_MIN && w.jitShare < JIT_QUIET) {
                        break;
                    }
                }
                Lines posts = () -> signedPosts(dir, nip98, base, tenants, serial);
                runWrk(script, base, posts.write(), WARMUP_SECONDS);
                if (statements) {
                    Drain.measure(url); // the warm-up's sync jobs are not the measured POSTs'
                    TestPostgres.resetStatementStats();
                }
                List<Result> creates = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    Drain.measure(url);
                    creates.add(measure(script, base, posts, cpu));
                }
                results.put("create", Result.medianOf(creates));
                measuredPosts = creates.stream().mapToLong(Result::requests).sum();
            } else {
                results.put("create", Result.NOT_RUN);
            }
            double rss = server.rssMiB();
            double peak = server.peakRssMiB();
            double file = server.fileRssMiB();
            Drain drain = Drain.measure(url); // the last run's sync jobs are part of its POSTs' cost too
            List<String> breakdown = statements && measuredPosts > 0 ? statementsPerPost(url, measuredPosts) : List.of();
            return new EngineRun(engine, results, ratios, rss, peak, file, drain, getWarmups, postWarmups, breakdown);
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
     * PostgreSQL's execution time per created relay over the measured POST runs, by statement (the request's
     * own and its sync job's, JobRunr's included), from pg_stat_statements: `-Dcaravel.pg-statements=true`.
     * Execution time counts waits (locks, a core taken by another process) as well as CPU.
     */
    private static List<String> statementsPerPost(String url, long posts) {
        List<TestPostgres.StatementStat> top = TestPostgres.statementStats(url, 12);
        List<String> out = new ArrayList<>();
        out.add(String.format("postgres: execution time per POST /relays over %,d POSTs (pg_stat_statements; "
                + "the 12 statements that took most, waits included): %.0f µs in these", posts,
                top.stream().mapToDouble(TestPostgres.StatementStat::execMillis).sum() * 1000 / posts));
        for (TestPostgres.StatementStat stat : top) {
            out.add(String.format("  %6.1f µs %5.2f calls  %s", stat.execMillis() * 1000 / posts,
                    (double) stat.calls() / posts, stat.query().length() > 110 ? stat.query().substring(0, 110) + "…"
                            : stat.query()));
        }
        return out;
    }

    /** A GET row: where it is sent (the API or the admin port) and its lines. */
    private record GetRow(String base, Lines lines) {
    }

    /** One measured run, on lines written just before it (so the headers are inside their window). */
    private static Result measure(Path script, String base, Lines lines, Cpu cpu) throws Exception {
        Path measured = lines.write();
        CpuSeconds before = cpu.seconds();
        String out = runWrk(script, base, measured, SECONDS);
        Result result = Result.parse(out, cpu.seconds().since(before));
        if (result.wraps > 0 && measured.getFileName().toString().equals("posts.txt")) {
            throw new IllegalStateException("POST headers ran out (replays would be refused): raise -Dbench.posts");
        }
        return result;
    }

    /** CPU seconds used so far by the server and by the database server, if it is another process (else 0). */
    private interface Cpu {
        CpuSeconds seconds();
    }

    /**
     * {@code jit}: the part of {@code server} that its JIT compiler threads used; {@code writerHeld}: the time
     * the server's SQLite write permit was held (NaN on PostgreSQL), {@code writerCpu} the CPU its holders used
     * meanwhile; {@code wall}: the clock's seconds.
     */
    private record CpuSeconds(double server, double jit, double database, double writerHeld, double writerCpu,
                              double wall) {
        CpuSeconds since(CpuSeconds earlier) {
            return new CpuSeconds(server - earlier.server, jit - earlier.jit, database - earlier.database,
                    writerHeld - earlier.writerHeld, writerCpu - earlier.writerCpu, wall - earlier.wall);
        }

        double jitShare() {
            return server > 0 ? jit / server : Double.NaN;
        }
    }

    /** libsecp256k1's verifications per second on one thread, 3 s after 2 s of warm-up: how fast the machine is. */
    private static double schnorrVerificationsPerSecond() {
        KeyPair keys = KeyPair.generate();
        app.caravel.nostr.Event event = app.caravel.nostr.Event.sign(keys, 1764000000L, 1, List.of(), "speed");
        byte[] sig = app.caravel.nostr.Hex.decode(event.sig(), 64);
        byte[] id = app.caravel.nostr.Hex.decode(event.id(), 32);
        byte[] pubkey = keys.pubkeyBytes();
        long verified = 0;
        for (long seconds : new long[]{2, 3}) {
            verified = 0;
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                if (!app.caravel.nostr.Crypto.verifySchnorr(sig, id, pubkey)) {
                    throw new IllegalStateException("a good signature failed to verify");
                }
                verified++;
            }
        }
        return verified / 3.0;
    }

    private static final java.net.http.HttpClient ADMIN = java.net.http.HttpClient.newHttpClient();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The SQLite write permit's seconds so far: held, and the holders' CPU meanwhile. */
    private record WriterSeconds(double held, double cpu) {
        static final WriterSeconds NONE = new WriterSeconds(Double.NaN, Double.NaN);
    }

    /** Both of the server's write-permit counters (in ns) from one read of the admin port's /metrics. */
    private static WriterSeconds writerSeconds(String admin) {
        try {
            String json = ADMIN.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(admin + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            var counters = JSON.readTree(json).path("counters");
            double[] seconds = new double[2];
            String[] names = {"db-writer.permit-held-nanos", "db-writer.permit-held-cpu-nanos"};
            for (int i = 0; i < names.length; i++) {
                var count = counters.path(names[i]).path("count");
                if (!count.isNumber()) {
                    throw new IllegalStateException("no " + names[i] + " on the admin port's /metrics");
                }
                seconds[i] = count.asLong() / 1e9;
            }
            return new WriterSeconds(seconds[0], seconds[1]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
