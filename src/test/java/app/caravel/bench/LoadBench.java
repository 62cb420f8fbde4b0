package app.caravel.bench;

import app.caravel.CaravelApplication;
import app.caravel.CaravelConfiguration;
import app.caravel.db.Ids;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import io.dropwizard.testing.DropwizardTestSupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * `make bench` (after bench-nostr and bench-billing): the API under load from a separate generator process
 * on loopback, on one machine in one run. Prints start-to-healthy, the bare-endpoint floor, authenticated
 * GET /relays over 10,000 relays of 1,000 tenants, POST /relays, time to job pick-up and resident memory.
 */
public final class LoadBench {
    private static final int TENANTS = 1_000;
    private static final int RELAYS_EACH = 10;
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 16);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("caravel-load-bench");
        int port = Ports.free();
        DropwizardTestSupport<CaravelConfiguration> app = TestApps.support(port, Map.of("logging.level", "WARN"));
        long startNanos = System.nanoTime();
        app.before();
        HttpClient http = HttpClient.newHttpClient();
        while (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getAdminPort() + "/healthcheck"))
                .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            Thread.sleep(10);
        }
        double startSeconds = (System.nanoTime() - startNanos) / 1e9;
        List<String> lines = new ArrayList<>();
        try {
            CaravelApplication application = app.getApplication();
            Path keys = seed(application, dir);
            String base = "http://127.0.0.1:" + port;
            String bare = generate("http://127.0.0.1:" + app.getAdminPort(), "bare", CONCURRENCY, SECONDS, null);
            String reads = generate(base, "relays", CONCURRENCY, SECONDS, keys);
            String writes = generate(base, "create", 4, Math.max(5, SECONDS / 2), keys);
            List<Double> pickups = pickups(application, port);
            long rss = rssKiB();

            String[] b = bare.split(" ");
            String[] r = reads.split(" ");
            String[] w = writes.split(" ");
            lines.add(String.format("%-44s %12s", "start to healthy (migrations included)", String.format("%.2f s", startSeconds)));
            lines.add(row("bare endpoint GET /ping (admin), c=" + CONCURRENCY, b));
            lines.add(row("GET /relays, NIP-98, 10k relays, c=" + CONCURRENCY, r));
            lines.add(row("POST /relays (row+activity+job), c=4", w));
            Collections.sort(pickups);
            lines.add(String.format("%-44s %12s", "POST → job picked up, p50 / max of " + pickups.size(),
                    String.format("%.2f / %.2f s", pickups.get(pickups.size() / 2), pickups.get(pickups.size() - 1))));
            lines.add(String.format("%-44s %12s", "resident memory after the load (app JVM)", (rss / 1024) + " MiB"));
            double readRate = Double.parseDouble(r[3]);
            lines.add(String.format("%-44s %12.2f", "authenticated reads / bare floor", readRate / Double.parseDouble(b[3])));
            schnorrFloor().ifPresent(floor -> lines.add(String.format("%-44s %12.2f (floor %.0f verif/s)",
                    "authenticated reads / Schnorr-verify floor", readRate / floor, floor)));
        } finally {
            app.after();
        }
        System.err.println();
        lines.forEach(System.err::println);
        Files.write(Path.of("target", "bench-load.txt"), lines);
        System.exit(0);
    }

    private static String row(String what, String[] result) {
        return String.format("%-44s %9s req/s  p50 %6s ms  p99 %6s ms  (%s requests, %s errors)", what, result[3],
                result[4], result[5], result[1], result[2]);
    }

    /** 1,000 tenants with 10 relays each, written straight to the database; their keys go to a file. */
    private static Path seed(CaravelApplication app, Path dir) throws IOException {
        List<String> secrets = new ArrayList<>();
        app.database().jdbi().useTransaction(h -> {
            var tenants = h.prepareBatch("INSERT INTO tenants (pubkey, created_at, status) VALUES (?, 1, 'active')");
            var relays = h.prepareBatch("INSERT INTO relays (id, tenant, subdomain, schema, name, plan, status, secret, "
                    + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'basic', 'active', ?, 1, 1)");
            for (int t = 0; t < TENANTS; t++) {
                KeyPair keys = KeyPair.generate();
                secrets.add(keys.secretHex());
                tenants.add(keys.pubkey());
                for (int r = 0; r < RELAYS_EACH; r++) {
                    String sub = "t" + t + "-r" + r;
                    relays.add(Ids.random(), keys.pubkey(), sub, sub.replace('-', '_'), "Relay " + sub, keys.secretHex());
                }
            }
            tenants.execute();
            relays.execute();
        });
        Path file = dir.resolve("tenants.keys");
        Files.write(file, secrets);
        return file;
    }

    private static String generate(String base, String mode, int concurrency, int seconds, Path keys) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LoadGenerator.class.getName(), base, mode,
                String.valueOf(concurrency), String.valueOf(seconds)));
        if (keys != null) {
            command.add(keys.toString());
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes()).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("load generator failed: " + out);
        }
        return out;
    }

    /** Seconds from POST /relays answering to JobRunr taking its sync job (no zooid: the job is a no-op). */
    private static List<Double> pickups(CaravelApplication app, int port) throws Exception {
        KeyPair tenant = KeyPair.generate();
        SignedClient client = new SignedClient(port, tenant);
        client.post("/tenants", null);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = client.post("/relays", "{\"subdomain\":\"pickup-" + i + "\",\"info_name\":\"P\",\"plan\":\"free\"}")
                    .data().path("id").asText();
            long posted = System.nanoTime();
            while (app.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM jobrunr_jobs "
                    + "WHERE jobAsJson LIKE :id AND state = 'ENQUEUED'").bind("id", "%" + id + "%").mapTo(Integer.class).one()) > 0) {
                Thread.sleep(5);
            }
            out.add((System.nanoTime() - posted) / 1e9);
            Thread.sleep(730);
        }
        return out;
    }

    private static java.util.Optional<Double> schnorrFloor() throws IOException {
        Path nostr = Path.of("target", "bench-nostr.txt");
        if (!Files.exists(nostr)) {
            return java.util.Optional.empty();
        }
        return Files.readAllLines(nostr).stream().filter(l -> l.startsWith("schnorrVerify"))
                .map(l -> Double.parseDouble(l.trim().split("\\s+")[1])).findFirst();
    }

    private static long rssKiB() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
    }
}
