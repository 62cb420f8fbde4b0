package app.caravel.bench;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import app.caravel.support.ZooidDouble;
import io.dropwizard.testing.DropwizardTestSupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * `make bench-provisioning`: time from `POST /relays` answering 201 to the relay's config being on zooid
 * (the loopback double), over 50 relays created one after another. JobRunr polls every 5 s (the floor the
 * project keeps for SQLite), so that poll dominates the figure. The table goes to stderr, the app's log to stdout.
 */
public final class ProvisioningBench {
    private static final int RELAYS = 50;

    public static void main(String[] args) throws Exception {
        KeyPair platform = KeyPair.generate();
        int port = Ports.free();
        try (ZooidDouble zooid = ZooidDouble.start(platform.pubkey())) {
            DropwizardTestSupport<CaravelConfiguration> app = TestApps.support(port, Map.of(
                    "zooid_api_url", zooid.url(), "zooid_api_secret", platform.secretHex(),
                    "relay_domain", "bench.example.com"));
            app.before();
            try {
                SignedClient client = new SignedClient(port, KeyPair.generate());
                client.post("/tenants", null);
                List<String> ids = new ArrayList<>();
                List<Long> created = new ArrayList<>();
                for (int i = 0; i < RELAYS; i++) {
                    SignedClient.Reply reply = client.post("/relays",
                            "{\"subdomain\":\"bench-" + i + "\",\"info_name\":\"Bench " + i + "\",\"plan\":\"basic\"}");
                    if (reply.status() != 201) {
                        throw new IllegalStateException("POST /relays: " + reply.status() + " " + reply.body());
                    }
                    created.add(System.nanoTime());
                    ids.add(reply.data().path("id").asText());
                    Thread.sleep(100);
                }
                long[] landed = new long[RELAYS];
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (System.nanoTime() < deadline) {
                    boolean all = true;
                    for (int i = 0; i < RELAYS; i++) {
                        if (landed[i] == 0 && zooid.config(ids.get(i)) != null) {
                            landed[i] = System.nanoTime();
                        }
                        all &= landed[i] != 0;
                    }
                    if (all) {
                        break;
                    }
                    Thread.sleep(10);
                }
                List<Double> seconds = new ArrayList<>();
                for (int i = 0; i < RELAYS; i++) {
                    if (landed[i] == 0) {
                        throw new IllegalStateException("relay " + i + " never reached zooid");
                    }
                    seconds.add((landed[i] - created.get(i)) / 1e9);
                }
                Collections.sort(seconds);
                System.err.printf("%nPOST /relays → config on zooid, %d relays (JobRunr poll 5 s)%n", RELAYS);
                System.err.printf("%-6s %8s%n", "p50", String.format("%.2f s", seconds.get(RELAYS / 2)));
                System.err.printf("%-6s %8s%n", "p95", String.format("%.2f s", seconds.get((int) Math.ceil(RELAYS * 0.95) - 1)));
                System.err.printf("%-6s %8s%n", "max", String.format("%.2f s", seconds.get(RELAYS - 1)));
            } finally {
                app.after();
            }
        }
        System.exit(0);
    }
}
