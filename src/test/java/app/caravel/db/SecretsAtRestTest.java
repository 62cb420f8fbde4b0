package app.caravel.db;

import app.caravel.CaravelApplication;
import app.caravel.config.ConfigException;
import app.caravel.nostr.KeyPair;
import app.caravel.support.TestApps;
import app.caravel.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secrets sealed at rest (SPEC §3): plaintext rows sealed at start, a wrong key refused, rotation resumable. */
class SecretsAtRestTest {
    private static final String WALLET = "nostr+walletconnect://" + "b".repeat(64) + "?relay=wss%3A%2F%2Fr.example.com&secret=";

    @TempDir
    Path dir;

    @Test
    void plaintextRowsAreSealedAtStartAndOpenWithTheKeyOnly() throws Exception {
        try (TestDatabase test = new TestDatabase(dir)) {
            String secret = KeyPair.generate().secretHex();
            test.db().tenants().insert(new Tenant("a".repeat(64), WALLET + secret, null, 1, null, Tenant.ACTIVE));
            SecretsKeys.Key key = new SecretsKeys.Key(KeyPair.generate().secretHex(), "a test key");
            assertEquals(1, SecretsAtRest.prepare(test.jdbi(), key));
            String stored = test.db().tenants().find("a".repeat(64)).orElseThrow().nwcUrl();
            assertTrue(SecretBox.isSealed(stored) && !stored.contains(secret), stored);
            assertEquals(WALLET + secret, key.box().open(stored));
            assertEquals(0, SecretsAtRest.prepare(test.jdbi(), key), "nothing left in plaintext");

            SecretsKeys.Key wrong = new SecretsKeys.Key(KeyPair.generate().secretHex(), "SECRETS_KEY");
            ConfigException refused = assertThrows(ConfigException.class, () -> SecretsAtRest.prepare(test.jdbi(), wrong));
            assertEquals("SECRETS_KEY", refused.variable());
            assertThrows(SecretBox.Unreadable.class, () -> wrong.box().open(stored));
        }
    }

    /** The server itself refuses a wrong key before serving: one line naming SECRETS_KEY, no stack trace. */
    @Test
    void aServerStartedWithTheWrongKeyStopsWithAMessageNamingSecretsKey() throws Exception {
        String url;
        try (TestDatabase test = new TestDatabase(dir)) {
            url = test.url();
            SecretsAtRest.prepare(test.jdbi(), SecretsKeys.resolve(test.config()));
        }
        Path out = Files.createTempFile("wrong-key", ".log");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Ddw.database_url=" + url,
                "-Ddw.secrets_key=" + KeyPair.generate().secretHex(), "-Ddw.port=0", "-Ddw.admin_port=0",
                "-Ddw.dashboard_port=0", CaravelApplication.class.getName(), "server", TestApps.configPath())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "it stops by itself");
        String printed = Files.readString(out);
        assertEquals(1, server.exitValue(), printed);
        assertTrue(printed.contains("caravel cannot start: SECRETS_KEY: the key (SECRETS_KEY) does not open"), printed);
        assertFalse(printed.contains("\tat "), "no stack trace: " + printed);
    }

    @Test
    void withPostgresAKeyMustBeGiven() throws Exception {
        var config = app.caravel.support.TestConfigs.load(Map.of("DATABASE_URL", "postgres://u:p@db.example.com/caravel"));
        ConfigException e = assertThrows(ConfigException.class, () -> SecretsKeys.resolve(config));
        assertEquals("SECRETS_KEY", e.variable());
        var derived = app.caravel.support.TestConfigs.load(Map.of("DATABASE_URL", "postgres://u:p@db.example.com/caravel",
                "ROBOT_SECRET", "1".repeat(64)));
        assertEquals("derived from ROBOT_SECRET", SecretsKeys.resolve(derived).source());
    }

    /**
     * `rotate-secrets-key` in its own JVM, SIGKILLed while it is half-way through 20,000 rows, then run again:
     * every row opens with the new key, none with the old, and a server starts with the new key only.
     */
    @Test
    void aRotationKilledHalfWayAndRunAgainLeavesEveryRowReadableWithTheNewKey() throws Exception {
        String oldKey = KeyPair.generate().secretHex();
        String newKey = KeyPair.generate().secretHex();
        Path newKeyFile = dir.resolve("new.key");
        Files.writeString(newKeyFile, newKey + "\n");
        String url;
        int rows = 20_000;
        List<String> before;
        try (TestDatabase test = new TestDatabase(dir)) {
            url = test.url();
            test.jdbi().useTransaction(h -> {
                var insert = h.prepareBatch("INSERT INTO tenants (pubkey, nwc_url, created_at, status) VALUES (?, ?, 1, 'active')");
                for (int i = 0; i < rows; i++) {
                    insert.add(String.format("%064x", i + 1), WALLET + String.format("%064x", i + 7));
                }
                insert.execute();
            });
            SecretsAtRest.prepare(test.jdbi(), new SecretsKeys.Key(oldKey, "the old key"));
            before = walletColumn(test);
        }
        Process rotation = rotate(url, oldKey, newKeyFile, dir.resolve("rotate-1.log"));
        try (TestDatabase watch = TestDatabase.existing(url)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int changed = 0;
            while (changed == 0 && System.nanoTime() < deadline && rotation.isAlive()) {
                changed = changed(before, walletColumn(watch));
                Thread.sleep(2);
            }
            rotation.destroyForcibly().waitFor();
            int atKill = changed(before, walletColumn(watch));
            assertTrue(atKill > 0 && atKill < rows, "killed half-way: " + atKill + " of " + rows + " rows re-sealed ("
                    + Files.readString(dir.resolve("rotate-1.log")) + ")");
        }
        Process again = rotate(url, oldKey, newKeyFile, dir.resolve("rotate-2.log"));
        assertTrue(again.waitFor(120, TimeUnit.SECONDS));
        String printed = Files.readString(dir.resolve("rotate-2.log"));
        assertEquals(0, again.exitValue(), printed);
        assertFalse(printed.contains(newKey) || printed.contains(oldKey), "no key printed");
        try (TestDatabase test = TestDatabase.existing(url)) {
            SecretBox fresh = SecretBox.of(newKey);
            SecretBox stale = SecretBox.of(oldKey);
            List<String> after = walletColumn(test);
            for (int i = 0; i < rows; i++) {
                assertEquals(WALLET + String.format("%064x", i + 7), fresh.open(after.get(i)), "row " + i);
                assertFalse(stale.opens(after.get(i)), "row " + i + " no longer opens with the old key");
            }
            SecretsAtRest.prepare(test.jdbi(), new SecretsKeys.Key(newKey, "SECRETS_KEY"));
            assertThrows(ConfigException.class, () -> SecretsAtRest.prepare(test.jdbi(), new SecretsKeys.Key(oldKey, "SECRETS_KEY")));
        }
    }

    private static Process rotate(String url, String oldKey, Path newKeyFile, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Ddw.database_url=" + url, "-Ddw.secrets_key=" + oldKey,
                CaravelApplication.class.getName(), "rotate-secrets-key", "--new-key-file", newKeyFile.toString(),
                TestApps.configPath()));
        return new ProcessBuilder(command).directory(newKeyFile.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private static List<String> walletColumn(TestDatabase test) {
        return test.jdbi().withHandle(h -> h.createQuery("SELECT nwc_url FROM tenants ORDER BY pubkey").mapTo(String.class).list());
    }

    private static int changed(List<String> before, List<String> now) {
        int n = 0;
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).equals(now.get(i))) {
                n++;
            }
        }
        return n;
    }
}
