package app.caravel.db;

import app.caravel.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaTest {
    @TempDir
    Path dir;

    @Test
    void migratesAnEmptyFileAndIsANoOpTheSecondTime() throws Exception {
        try (TestDatabase db = new TestDatabase(dir)) {
            long changeSets = java.util.regex.Pattern.compile("<changeSet ")
                    .matcher(java.nio.file.Files.readString(Path.of("migrations.xml"))).results().count();
            assertEquals(changeSets, db.appliedChangeSets(), "every change set of migrations.xml");
            List<String> tables = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                            + "AND name NOT LIKE 'DATABASECHANGELOG%' ORDER BY name").mapTo(String.class).list());
            assertEquals(List.of("activity", "invoice_items", "invoice_payment_hashes", "invoices", "messages", "relays", "tenants"), tables);
        }
        try (TestDatabase again = new TestDatabase(dir)) {
            assertEquals(0, again.appliedChangeSets());
        }
    }

    @Test
    void foreignKeysAndUniqueKeysAreDeclared() throws Exception {
        try (TestDatabase db = new TestDatabase(dir)) {
            Map<String, String> relayFks = foreignKeys(db, "relays");
            assertEquals(Map.of("tenant", "tenants"), relayFks);
            assertEquals(Map.of("tenant", "tenants"), foreignKeys(db, "invoices"));
            assertEquals(Map.of("tenant", "tenants"), foreignKeys(db, "activity"));
            assertEquals(Map.of("invoice", "invoices", "relay", "relays"), foreignKeys(db, "invoice_items"));
            String invoiceIndex = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT sql FROM sqlite_master WHERE name = 'uq_invoices_tenant_period'").mapTo(String.class).one());
            assertTrue(invoiceIndex.contains("UNIQUE"), invoiceIndex);
        }
    }

    @Test
    void connectionsUseWalImmediateTransactionsForeignKeysAndABusyTimeout() throws Exception {
        try (TestDatabase db = new TestDatabase(dir)) {
            db.jdbi().useHandle(h -> {
                assertEquals("wal", h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
                assertEquals(1, h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one());
                assertEquals(30000, h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one());
            });
            assertTrue(db.config().dataSourceFactory().getProperties().get("transaction_mode").equals("IMMEDIATE"));
        }
    }

    private static Map<String, String> foreignKeys(TestDatabase db, String table) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT \"from\", \"table\" FROM pragma_foreign_key_list('" + table + "')")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).list())
                .stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
