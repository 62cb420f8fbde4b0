package app.caravel.billing;

import app.caravel.db.Activity;
import app.caravel.db.Ids;
import app.caravel.db.Invoice;
import app.caravel.db.Tenant;
import app.caravel.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BillingAnchorTest {
    private static final long DAY = 86_400;
    private static final long T0 = 1_750_000_000L;
    private static final String TENANT = "cd".repeat(32);
    @TempDir
    Path dir;

    private void history(TestDatabase db, long at, String status) {
        db.db().activity().insert(new Activity(Ids.random(), TENANT, at, "update_relay", "relay", "r1",
                "{\"plan\":\"basic\",\"status\":\"" + status + "\"}"));
    }

    private long anchorAfterReactivation(TestDatabase db, long now) {
        db.jdbi().useTransaction(h -> BillingAnchor.onFirstPaidRelay(h, TENANT, now));
        return db.db().tenants().find(TENANT).orElseThrow().billingAnchor();
    }

    @Test
    void theFirstPaidRelayAnchorsTheCycle() throws Exception {
        try (TestDatabase db = new TestDatabase(dir)) {
            db.db().tenants().insert(new Tenant(TENANT, null, null, T0, null, Tenant.ACTIVE));
            assertEquals(T0 + 5, anchorAfterReactivation(db, T0 + 5));
        }
    }

    @Test
    void unbilledUsageKeepsTheOldAnchorSoItIsInvoiced() throws Exception {
        try (TestDatabase db = new TestDatabase(dir)) {
            db.db().tenants().insert(new Tenant(TENANT, null, null, T0, T0, Tenant.ACTIVE));
            history(db, T0, "active");
            history(db, T0 + 10 * DAY, "inactive");
            assertEquals(T0, anchorAfterReactivation(db, T0 + 15 * DAY));
        }
    }

    @Test
    void withEverythingInvoicedAComebackStartsANewCycle() throws Exception {
        try (TestDatabase db = new TestDatabase(dir)) {
            db.db().tenants().insert(new Tenant(TENANT, null, null, T0, T0, Tenant.ACTIVE));
            history(db, T0, "active");
            history(db, T0 + 10 * DAY, "inactive");
            Period first = BillingCycle.period(T0, 0);
            db.db().invoices().insert(new Invoice(Ids.random(), TENANT, first.start(), first.end(), 3333, "lnbc", "h",
                    Invoice.PAID, first.end(), null, null, first.end(), null, null, null, null, first.end() + 30 * DAY, null, null));
            long comeback = first.end() + 20 * DAY;
            assertEquals(comeback, anchorAfterReactivation(db, comeback));
        }
    }
}
