package app.caravel.db;

import app.caravel.support.TestDatabase;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pool as the server opens it keeps prepared statements per connection (SQLite): a kept statement must
 * never pin what its connection reads. Every connection of the pool, each having run the same reads before,
 * sees a write committed on another one, and no kept statement holds the WAL against a checkpoint.
 */
class ConnectionPoolTest {
    private static final int CONNECTIONS = 12;
    @TempDir
    Path dir;

    @Test
    void everyConnectionReadsTheLatestCommitThroughItsKeptStatements() throws Exception {
        try (TestDatabase test = new TestDatabase(dir)) {
            List<Handle> handles = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    handles.add(test.jdbi().open()); // held at once: each is a connection of its own
                }
                for (Handle h : handles) {
                    assertEquals(0, tenants(h));
                    assertEquals(List.of(), test.db().relaysOfTenant("a".repeat(64)).map(Database.RelayList::relays).orElse(List.of()));
                }
                try (Handle writer = test.jdbi().open()) {
                    writer.useTransaction(w -> w.createUpdate("INSERT INTO tenants (pubkey, created_at, status) "
                            + "VALUES (:p, 1, 'active')").bind("p", "a".repeat(64)).execute());
                }
                for (Handle h : handles) {
                    assertEquals(1, tenants(h), "the same statement, run again, sees the new row");
                }
                assertEquals(List.of(), test.db().relaysOfTenant("a".repeat(64)).orElseThrow().relays(), "a tenant with no relay");
                if (!app.caravel.support.TestEngine.postgres()) {
                    Map<String, Object> checkpoint = handles.get(0).createQuery("PRAGMA wal_checkpoint(PASSIVE)")
                            .mapToMap().one();
                    assertEquals(checkpoint.get("log"), checkpoint.get("checkpointed"),
                            "no reader holds an old snapshot of the WAL: " + checkpoint);
                }
            } finally {
                handles.forEach(Handle::close);
            }
        }
    }

    private static int tenants(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM tenants").mapTo(Integer.class).one();
    }
}
