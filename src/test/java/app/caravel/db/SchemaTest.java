package app.caravel.db;

import app.caravel.support.TestDatabase;
import app.caravel.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The schema as each engine holds it, read through JDBC's own metadata (the same questions on both engines). */
class SchemaTest {
    @TempDir
    Path dir;

    @Test
    void migratesAnEmptyDatabaseAndIsANoOpTheSecondTime() throws Exception {
        try (TestDatabase db = new TestDatabase(dir)) {
            String changelog = Files.readString(Path.of("migrations.xml"));
            String otherEngine = TestEngine.postgres() ? "sqlite" : "postgresql";
            long changeSets = Pattern.compile("<changeSet ").matcher(changelog).results().count()
                    - Pattern.compile("<changeSet [^>]*dbms=\"" + otherEngine + "\"").matcher(changelog).results().count();
            assertEquals(changeSets, db.appliedChangeSets(), "every change set of migrations.xml for this engine");
            assertEquals(List.of("activity", "invoice_items", "invoice_payment_hashes", "invoices", "messages",
                    "nip98_replays", "relays", "settings", "tenants"), tables(db));
            assertEquals(0, SchemaMigrator.migrate(db.config().dataSourceFactory()), "the second run applies nothing");
        }
    }

    @Test
    void foreignKeysAndUniqueKeysAreDeclared() throws Exception {
        try (TestDatabase db = new TestDatabase(dir)) {
            assertEquals(Map.of("tenant", "tenants"), foreignKeys(db, "relays"));
            assertEquals(Map.of("tenant", "tenants"), foreignKeys(db, "invoices"));
            assertEquals(Map.of("tenant", "tenants"), foreignKeys(db, "activity"));
            assertEquals(Map.of("invoice", "invoices", "relay", "relays"), foreignKeys(db, "invoice_items"));
            assertTrue(uniqueIndexes(db, "invoices").contains("uq_invoices_tenant_period"), uniqueIndexes(db, "invoices").toString());
        }
    }

    /** Unix seconds past 2038 and sats beyond 2^31 survive the round trip (32-bit INTEGER on PostgreSQL would not). */
    @Test
    void timesAndAmountsAre64Bit() throws Exception {
        try (TestDatabase db = new TestDatabase(dir)) {
            long year2100 = 4_102_444_800L;
            db.db().tenants().insert(new Tenant("a".repeat(64), null, null, year2100, year2100, Tenant.ACTIVE));
            Tenant read = db.db().tenants().find("a".repeat(64)).orElseThrow();
            assertEquals(year2100, read.createdAt());
            assertEquals(year2100, read.billingAnchor());
            db.jdbi().useHandle(h -> h.execute("INSERT INTO invoices (id, tenant, period_start, period_end, amount, status, "
                    + "created_at) VALUES ('i', ?, ?, ?, ?, 'pending', ?)", "a".repeat(64), year2100, year2100 + 1,
                    5_000_000_000L, year2100));
            assertEquals(5_000_000_000L, db.db().invoices().find("i").orElseThrow().amount());
        }
    }

    /** The premise of KnownTenants' memory: no row of tenants is ever deleted, by anyone, on either engine. */
    @Test
    void aTenantCannotBeDeleted() throws Exception {
        try (TestDatabase db = new TestDatabase(dir)) {
            String pubkey = "b".repeat(64);
            db.db().tenants().insert(new Tenant(pubkey, null, null, 1L, 1L, Tenant.ACTIVE));
            Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () ->
                    db.jdbi().useHandle(h -> h.execute("DELETE FROM tenants WHERE pubkey = ?", pubkey)));
            assertTrue(String.valueOf(refused.getMessage()).contains("tenants are never deleted"), refused.getMessage());
            assertTrue(db.db().tenants().find(pubkey).isPresent(), "the row is still there");
        }
    }

    @Test
    void sqliteConnectionsUseWalImmediateTransactionsForeignKeysAndABusyTimeout() throws Exception {
        assumeTrue(!TestEngine.postgres(), "SQLite's connection settings");
        try (TestDatabase db = new TestDatabase(dir)) {
            db.jdbi().useHandle(h -> {
                assertEquals("wal", h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
                assertEquals(1, h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one());
                assertEquals(30000, h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one());
            });
            assertTrue(db.config().dataSourceFactory().getProperties().get("transaction_mode").equals("IMMEDIATE"));
        }
    }

    private static List<String> tables(TestDatabase db) throws java.sql.SQLException {
        try (var c = db.dataSource().getConnection()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME").toLowerCase();
                    if (!name.startsWith("sqlite_") && !name.startsWith("databasechangelog") && !name.startsWith("jobrunr_")) {
                        names.add(name);
                    }
                }
            }
            names.sort(null);
            return names;
        }
    }

    private static Map<String, String> foreignKeys(TestDatabase db, String table) throws java.sql.SQLException {
        try (var c = db.dataSource().getConnection()) {
            Map<String, String> keys = new TreeMap<>();
            try (ResultSet rs = c.getMetaData().getImportedKeys(null, null, table)) {
                while (rs.next()) {
                    keys.put(rs.getString("FKCOLUMN_NAME").toLowerCase(), rs.getString("PKTABLE_NAME").toLowerCase());
                }
            }
            return keys;
        }
    }

    private static List<String> uniqueIndexes(TestDatabase db, String table) throws java.sql.SQLException {
        try (var c = db.dataSource().getConnection()) {
            List<String> names = new ArrayList<>();
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rs = meta.getIndexInfo(null, null, table, true, false)) {
                while (rs.next()) {
                    if (rs.getString("INDEX_NAME") != null) {
                        names.add(rs.getString("INDEX_NAME").toLowerCase());
                    }
                }
            }
            return names;
        }
    }
    /** The operator's `db migrate config.yml`, in its own JVM, on this run's engine; the password is never printed. */
    @Test
    void theDbMigrateCommandMigratesThisEngineAndNeverPrintsThePassword() throws Exception {
        String url = TestEngine.postgres()
                ? app.caravel.support.TestPostgres.newDatabaseUrl().replace(":unused@", ":pw-not-for-logs@")
                : "sqlite://" + dir.resolve("migrated.db");
        Path out = Files.createTempFile("db-migrate", ".log");
        Process migrate = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Ddw.database_url=" + url,
                app.caravel.CaravelApplication.class.getName(), "db", "migrate", app.caravel.support.TestApps.configPath())
                .directory(dir.toFile()) // as an operator runs the jar: from anywhere, the changelog from the class path
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(migrate.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        String printed = Files.readString(out);
        assertEquals(0, migrate.exitValue(), printed);
        assertTrue(!printed.contains("pw-not-for-logs"), printed);
        try (TestDatabase db = TestDatabase.existing(url)) {
            assertTrue(tables(db).contains("relays"), tables(db).toString());
            assertEquals(0, SchemaMigrator.migrate(db.config().dataSourceFactory()), "nothing left to apply");
        }
    }
}
