package app.caravel.db;

import app.caravel.support.TestDatabase;
import app.caravel.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /identity's "is a tenant": a "no" is asked again every time, a "yes" is remembered. */
class KnownTenantsTest {
    @TempDir
    Path dir;

    @Test
    void aTenantWrittenByAnotherWriterIsSeenAtOnceAndAYesIsRemembered() throws Exception {
        try (TestDatabase db = new TestDatabase(dir)) {
            KnownTenants known = new KnownTenants(db.db());
            String pubkey = "c".repeat(64);
            assertFalse(known.isTenant(pubkey));
            assertFalse(known.isTenant(pubkey), "asked twice, still no");

            // another writer (another server process, say) makes it a tenant
            db.db().tenants().insert(new Tenant(pubkey, null, null, 1L, 1L, Tenant.ACTIVE));
            assertTrue(known.isTenant(pubkey), "the \"no\" was not kept");

            // what an operator removing a tenant by hand must know: every server process keeps its "yes"
            db.jdbi().useHandle(h -> {
                h.execute(TestEngine.postgres() ? "DROP TRIGGER tenants_never_deleted ON tenants"
                        : "DROP TRIGGER tenants_never_deleted");
                h.execute("DELETE FROM tenants WHERE pubkey = ?", pubkey);
            });
            assertFalse(db.db().isTenant(pubkey));
            assertTrue(known.isTenant(pubkey), "remembered, without asking the database");
            assertFalse(new KnownTenants(db.db()).isTenant(pubkey), "a restarted process asks again");
        }
    }
}
