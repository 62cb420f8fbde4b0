package app.caravel.db;

import app.caravel.CaravelApplication;
import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Await;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import app.caravel.support.TestEngine;
import app.caravel.support.ZooidDouble;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenants with wallets and relays made through the API: the database's bytes (the SQLite file and its WAL, or
 * every row of PostgreSQL's tables) hold no NWC secret and no relay key, while zooid still gets each relay's key.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SecretsAtRestAppTest {
    private static final int PORT = Ports.free();
    private static final KeyPair PLATFORM = KeyPair.generate();
    private static final ZooidDouble ZOOID = ZooidDouble.startFor(PLATFORM.pubkey());
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of(
            "zooid_api_url", ZOOID.url(), "zooid_api_secret", PLATFORM.secretHex(), "relay_domain", "relays.example.com"));

    @AfterAll
    static void stopZooid() {
        ZOOID.close();
    }

    @Test
    void noWalletSecretAndNoRelayKeyIsStoredInPlaintext() throws Exception {
        List<String> secrets = new ArrayList<>();
        List<String> relayIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            KeyPair tenantKeys = KeyPair.generate();
            SignedClient tenant = new SignedClient(PORT, tenantKeys);
            KeyPair walletClient = KeyPair.generate();
            secrets.add(walletClient.secretHex());
            String nwc = "nostr+walletconnect://" + KeyPair.generate().pubkey() + "?relay=wss%3A%2F%2Fwallet.example.com&secret="
                    + walletClient.secretHex();
            assertEquals(201, tenant.post("/tenants", "{\"nwc_url\":\"" + nwc + "\"}").status());
            SignedClient.Reply relay = tenant.post("/relays", "{\"subdomain\":\"sealed-" + i + "\",\"info_name\":\"S\",\"plan\":\"free\"}");
            assertEquals(201, relay.status(), relay.body());
            relayIds.add(relay.data().path("id").asText());
            assertTrue(tenant.get("/tenants/" + tenantKeys.pubkey()).data().path("nwc_is_set").asBoolean(),
                    "the tenant still sees its wallet connected");
        }
        Await.until("every relay on zooid", Duration.ofSeconds(40), () -> relayIds.stream().allMatch(ZOOID.ids()::contains));
        for (String id : relayIds) {
            String key = ZOOID.config(id).path("secret").asText();
            assertTrue(key.matches("[0-9a-f]{64}"), "zooid got the relay's key itself: " + key);
            KeyPair.fromSecretHex(key);
            secrets.add(key);
        }

        String stored = storedBytes();
        for (String secret : secrets) {
            assertFalse(stored.contains(secret), "a secret in plaintext at rest");
        }
        Database db = ((CaravelApplication) APP.getApplication()).database();
        for (String id : relayIds) {
            assertTrue(SecretBox.isSealed(db.relays().find(id).orElseThrow().secret()));
        }
    }

    /** Everything the database holds, as bytes: SQLite's file and WAL, or a dump of every app table's rows. */
    private static String storedBytes() throws Exception {
        CaravelApplication app = APP.getApplication();
        if (TestEngine.postgres()) {
            StringBuilder dump = new StringBuilder();
            for (String table : List.of("tenants", "relays", "activity", "invoices", "invoice_items", "messages",
                    "invoice_payment_hashes", "settings", "jobrunr_jobs")) {
                app.database().jdbi().useHandle(h -> h.createQuery("SELECT t::text FROM " + table + " t")
                        .mapTo(String.class).forEach(row -> dump.append(row).append('\n')));
            }
            return dump.toString();
        }
        Path file = APP.getConfiguration().databasePath();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Path part : List.of(file, Path.of(file + "-wal"))) {
            if (Files.exists(part)) {
                bytes.write(Files.readAllBytes(part));
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
