package app.caravel.db;

import app.caravel.support.TestDatabase;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaoTest {
    private static final String ALICE = "17162c921dc4d2518f9a101db33695df1afb56ab82f5ff3e5da6eec3ca5cd917";
    private static final String BOB = "d41b22899549e1f3d335a31002cfd382174006e166d3e658e3a5eecdb6463573";

    @TempDir
    Path dir;
    private TestDatabase test;
    private Database db;

    @BeforeEach
    void open() throws Exception {
        test = new TestDatabase(dir);
        db = test.db();
    }

    @AfterEach
    void close() throws Exception {
        test.close();
    }

    private static Tenant tenant(String pubkey) {
        return new Tenant(pubkey, null, null, 1_700_000_000L, null, Tenant.ACTIVE);
    }

    private static Relay relay(String id, String tenant, String subdomain) {
        return new Relay(id, tenant, subdomain, subdomain.replace('-', '_') + "_" + id.substring(0, 8), "Relay " + subdomain,
                "https://example.com/i.png", "about", "basic", Relay.NEW, null, null,
                "00".repeat(31) + "01", true, false, true, false, true, false, true, 1_700_000_100L, 1_700_000_100L);
    }

    @Test
    void tenantsRoundTrip() {
        db.tenants().insert(tenant(ALICE));
        assertEquals(tenant(ALICE), db.tenants().find(ALICE).orElseThrow());
        assertTrue(db.tenants().find(BOB).isEmpty());

        assertEquals(1, db.tenants().setNwcUrl(ALICE, "nostr+walletconnect://x"));
        assertEquals(1, db.tenants().setNwcError(ALICE, "INSUFFICIENT_BALANCE"));
        assertEquals(1, db.tenants().setBillingAnchor(ALICE, 1_700_003_600L));
        Tenant updated = db.tenants().find(ALICE).orElseThrow();
        assertEquals("nostr+walletconnect://x", updated.nwcUrl());
        assertEquals("INSUFFICIENT_BALANCE", updated.nwcError());
        assertEquals(1_700_003_600L, updated.billingAnchor());
        assertFalse(updated.toString().contains("walletconnect"), "nwc url redacted in toString");
        db.tenants().setNwcUrl(ALICE, null);
        assertEquals(null, db.tenants().find(ALICE).orElseThrow().nwcError(), "a new wallet clears the error");
        db.tenants().insert(tenant(BOB));
        assertEquals(List.of(ALICE, BOB), db.tenants().list().stream().map(Tenant::pubkey).toList());
    }

    @Test
    void relaysRoundTrip() {
        db.tenants().insert(tenant(ALICE));
        Relay relay = relay("a1b2c3d4-0000-0000-0000-000000000001", ALICE, "my-relay");
        db.relays().insert(relay);
        assertEquals(relay, db.relays().find(relay.id()).orElseThrow());
        assertEquals(relay, db.relays().findBySubdomain("my-relay").orElseThrow());
        assertEquals(List.of(relay), db.relays().listByTenant(ALICE));
        assertFalse(relay.toString().contains(relay.secret()));

        Relay edited = new Relay(relay.id(), relay.tenant(), relay.subdomain(), relay.schema(), "New name", "", "",
                "growth", relay.status(), null, null, relay.secret(), false, true, false, true, false, true, false,
                relay.createdAt(), 1_700_000_200L);
        assertEquals(1, db.relays().update(edited));
        assertEquals(edited, db.relays().find(relay.id()).orElseThrow());

        db.relays().setStatus(relay.id(), Relay.ACTIVE, 1_700_000_300L);
        db.relays().markSyncFailed(relay.id(), "zooid: 500");
        assertEquals("zooid: 500", db.relays().find(relay.id()).orElseThrow().syncError());
        db.relays().markSynced(relay.id(), 1_700_000_400L);
        Relay synced = db.relays().find(relay.id()).orElseThrow();
        assertEquals(Relay.ACTIVE, synced.status());
        assertEquals(null, synced.syncError());
        assertEquals(1_700_000_400L, synced.syncedAt());
    }

    @Test
    void duplicateSubdomainIsRefusedAcrossTenants() {
        db.tenants().insert(tenant(ALICE));
        db.tenants().insert(tenant(BOB));
        db.relays().insert(relay("a1b2c3d4-0000-0000-0000-000000000001", ALICE, "taken"));
        Relay copy = relay("b1b2c3d4-0000-0000-0000-000000000002", BOB, "taken");
        assertRefusedBy(SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE, "relays.subdomain", "uq_relays_subdomain", () -> db.relays().insert(copy));
        assertEquals(1, db.relays().list().size());
    }

    @Test
    void orphanRelayIsRefused() {
        assertRefusedBy(SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY", "fk_relays_tenant",
                () -> db.relays().insert(relay("a1b2c3d4-0000-0000-0000-000000000001", BOB, "orphan")));
        assertTrue(db.relays().list().isEmpty());
    }

    @Test
    void activityIsAppendOnlyAndOrdered() {
        db.tenants().insert(tenant(ALICE));
        Activity first = new Activity(Ids.random(), ALICE, 100, "create_relay", "relay", "r1", "{\"plan\":\"basic\",\"status\":\"new\"}");
        Activity second = new Activity(Ids.random(), ALICE, 100, "activate_relay", "relay", "r1", "{\"plan\":\"basic\",\"status\":\"active\"}");
        Activity other = new Activity(Ids.random(), ALICE, 50, "create_tenant", "tenant", ALICE, "{}");
        db.activity().insert(first);
        db.activity().insert(second);
        db.activity().insert(other);
        assertEquals(List.of(first, second), db.activity().forResource("relay", "r1"));
        assertEquals(List.of(other, first, second), db.activity().forTenant(ALICE));
        assertRefusedBy(SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY", "fk_activity_tenant", () -> db.activity().insert(
                new Activity(Ids.random(), BOB, 1, "create_tenant", "tenant", BOB, "{}")));
    }

    @Test
    void invoicesRoundTripAndOnePerTenantAndPeriod() {
        db.tenants().insert(tenant(ALICE));
        Relay relay = relay("a1b2c3d4-0000-0000-0000-000000000001", ALICE, "paid");
        db.relays().insert(relay);
        Invoice invoice = new Invoice(Ids.random(), ALICE, 1000, 2000, 5000, "lnbc50u1x", "ab".repeat(32),
                Invoice.PENDING, 2001, null, null, null, null, null, null, null, 2001L + 30 * 86_400, null, null);
        db.invoices().insert(invoice);
        InvoiceItem item = new InvoiceItem(invoice.id(), relay.id(), "basic", 360, 5000);
        db.invoices().insertItem(item);
        assertEquals(invoice, db.invoices().find(invoice.id()).orElseThrow());
        assertEquals(List.of(item), db.invoices().items(invoice.id()));
        assertEquals(List.of(invoice), db.invoices().listPending());

        Invoice samePeriod = new Invoice(Ids.random(), ALICE, 1000, 2000, 7000, null, null, Invoice.PENDING, 2002,
                null, null, null, null, null, null, null, null, null, null);
        assertRefusedBy(SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE, "invoices.tenant, invoices.period_start", "uq_invoices_tenant_period",
                () -> db.invoices().insert(samePeriod));
        assertEquals(1, db.invoices().listByTenant(ALICE).size());

        assertEquals(1, db.invoices().markAttempted(invoice.id(), 2100, "PAYMENT_FAILED: no route"));
        assertEquals(1, db.invoices().markPaid(invoice.id(), 2200));
        assertEquals(0, db.invoices().markPaid(invoice.id(), 2300), "paying twice changes nothing");
        assertEquals(0, db.invoices().markClosed(invoice.id(), 2300), "a paid invoice can't be closed");
        Invoice paid = db.invoices().find(invoice.id()).orElseThrow();
        assertEquals(Invoice.PAID, paid.status());
        assertEquals(2200L, paid.paidAt());
        assertEquals(null, paid.error());
        assertTrue(db.invoices().listPending().isEmpty());
    }

    @Test
    void itemsNeedAnExistingInvoiceAndRelay() {
        assertRefusedBy(SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY", "fk_items_", () -> db.invoices().insertItem(
                new InvoiceItem("missing", "missing", "basic", 1, 1)));
    }

    /**
     * Refused by the named constraint, not by any SQL error that happens to occur: SQLite's result code and
     * message, or PostgreSQL's SQLState (23505 unique, 23503 foreign key) and constraint name.
     */
    private static void assertRefusedBy(SQLiteErrorCode code, String sqliteText, String postgresConstraint,
                                        org.junit.jupiter.api.function.Executable write) {
        UnableToExecuteStatementException e = assertThrows(UnableToExecuteStatementException.class, write);
        if (e.getCause() instanceof SQLiteException cause) {
            assertEquals(code, cause.getResultCode(), cause.getMessage());
            assertTrue(cause.getMessage().contains(sqliteText), cause.getMessage());
            return;
        }
        java.sql.SQLException cause = (java.sql.SQLException) e.getCause();
        String state = code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE ? "23505" : "23503";
        assertEquals(state, cause.getSQLState(), cause.getMessage());
        assertTrue(cause.getMessage().contains(postgresConstraint), cause.getMessage());
    }
}
