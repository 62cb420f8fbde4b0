package app.caravel.bench;

import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip98;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop load generator on the JDK HTTP client, run as its own process so its CPU is not the
 * server's heap and GC. {@code C} threads each send one request at a time for {@code seconds} (after a
 * warm-up of a quarter of that), and it prints one line: mode, requests, errors, req/s, p50, p99 (ms).
 *
 * <p>Modes: {@code bare} GET {base}/ping (pass the admin port: Dropwizard's own "pong", the floor); {@code relays}
 * GET /relays signed by one of the tenants in the keys file (a GET header is reusable inside its window,
 * so each thread re-signs every 20 s); {@code create} POST /relays, each freshly signed.
 */
public final class LoadGenerator {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        String mode = args[1];
        int concurrency = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        List<KeyPair> tenants = args.length > 4 ? Files.readAllLines(Path.of(args[4])).stream()
                .filter(l -> !l.isBlank()).map(KeyPair::fromSecretHex).toList() : List.of();
        Nip98 nip98 = new Nip98(Clock.systemUTC(), 60);

        long warmupEnd = System.nanoTime() + Duration.ofSeconds(Math.max(1, seconds / 4)).toNanos();
        long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger sequence = new AtomicInteger();
        Thread[] threads = new Thread[concurrency];
        for (int t = 0; t < concurrency; t++) {
            int id = t;
            latencies[t] = new long[1 << 20];
            threads[t] = new Thread(() -> {
                // one client per thread: a JDK HttpClient does all its I/O on one selector thread, which
                // caps a shared client well below what the server can answer
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                KeyPair keys = tenants.isEmpty() ? null : tenants.get(id % tenants.size());
                String header = null;
                long signedAt = 0;
                while (true) {
                    long now = System.nanoTime();
                    if (now > end) {
                        return;
                    }
                    HttpRequest request;
                    switch (mode) {
                        case "bare" -> request = HttpRequest.newBuilder(URI.create(base + "/ping")).GET().build();
                        case "relays" -> {
                            if (header == null || now - signedAt > 20_000_000_000L) {
                                keys = tenants.get(ThreadLocalRandom.current().nextInt(tenants.size()));
                                header = nip98.header(keys, base + "/relays", "GET", null);
                                signedAt = now;
                            }
                            request = HttpRequest.newBuilder(URI.create(base + "/relays"))
                                    .header("Authorization", header).GET().build();
                        }
                        case "create" -> {
                            byte[] body = ("{\"subdomain\":\"load-" + id + "-" + sequence.incrementAndGet()
                                    + "\",\"name\":\"Load\",\"plan\":\"free\"}").getBytes(StandardCharsets.UTF_8);
                            request = HttpRequest.newBuilder(URI.create(base + "/relays"))
                                    .header("Authorization", nip98.header(keys, base + "/relays", "POST", body))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                        }
                        default -> throw new IllegalArgumentException(mode);
                    }
                    long start = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() >= 300) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    long done = System.nanoTime();
                    if (start >= warmupEnd && counts[id] < latencies[id].length) {
                        latencies[id][counts[id]++] = done - start;
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int offset = 0;
        for (int t = 0; t < concurrency; t++) {
            System.arraycopy(latencies[t], 0, all, offset, counts[t]);
            offset += counts[t];
        }
        Arrays.sort(all);
        double p50 = total == 0 ? 0 : all[total / 2] / 1e6;
        double p99 = total == 0 ? 0 : all[(int) Math.min(total - 1, Math.ceil(total * 0.99) - 1)] / 1e6;
        System.out.printf("%s %d %d %.0f %.2f %.2f%n", mode, total, errors.get(), total / (double) seconds, p50, p99);
    }
}
