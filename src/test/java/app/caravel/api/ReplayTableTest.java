package app.caravel.api;

import app.caravel.CaravelConfiguration;
import app.caravel.db.SchemaMigrator;
import app.caravel.support.MutableClock;
import app.caravel.support.TestConfigs;
import app.caravel.support.TestDatabase;
import app.caravel.support.TestEngine;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.migrations.CloseableLiquibase;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.changelog.ChangeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NIP-98 claims' table keyed on (expires_at, signature) (migrations.xml, 16-replays-by-expiry), on this run's
 * engine: a claim made before the table moved is still refused after it, a signature is found by the key the
 * filter computes from its event, and the sweep removes expired claims only.
 */
class ReplayTableTest {
    private static final long WINDOW = 60;
    private static final long NOW = 1_800_000_000L;
    private static final String SIGNED_BEFORE = "a1".repeat(64);

    @TempDir
    Path dir;

    @Test
    void aHeaderClaimedBeforeTheTableMovedIsStillRefusedAfterIt() throws Exception {
        String url = TestEngine.freshDatabaseUrl(dir);
        CaravelConfiguration config = TestConfigs.load(TestEngine.databaseSettings(url));
        try (CloseableLiquibase liquibase = new CloseableLiquibaseWithClassPathMigrationsFile(
                config.dataSourceFactory().build(new MetricRegistry(), "before"), SchemaMigrator.CHANGELOG)) {
            List<String> unrun = new ArrayList<>();
            for (ChangeSet changeSet : liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression())) {
                unrun.add(changeSet.getId());
            }
            int moved = unrun.indexOf("16-replays-by-expiry");
            assertTrue(moved > 0, unrun.toString());
            liquibase.update(moved, new Contexts(), new LabelExpression()); // the schema of the release before
        }
        ManagedDataSource before = config.dataSourceFactory().build(new MetricRegistry(), "old-release");
        try (Connection c = before.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO nip98_replays (signature, expires_at) VALUES (?, ?)")) {
            insert.setString(1, SIGNED_BEFORE); // the old release's claim of a header signed at NOW
            insert.setLong(2, NOW + WINDOW + 1);
            insert.executeUpdate();
        } finally {
            before.stop();
        }

        try (TestDatabase db = new TestDatabase(url)) {
            assertTrue(db.appliedChangeSets() >= 1, "the move is applied on the old release's database");
            ReplayCache replays = new ReplayCache(db.jdbi(), new MutableClock(NOW + 5), WINDOW);
            assertTrue(replays.seen(SIGNED_BEFORE, NOW), "the header used before the upgrade is refused after it");
            assertFalse(replays.seen("b2".repeat(64), NOW), "another signature of the same second is not");

            replays.hold(SIGNED_BEFORE, NOW); // the replay racing past the early read: the key refuses its claim
            replays.settle();
            assertEquals(1, db.count("SELECT COUNT(*) FROM nip98_replays WHERE signature = ?", SIGNED_BEFORE));
        }
    }

    @Test
    void theSweepRemovesExpiredClaimsOnlyAndEachClaimIsFoundByItsEvent() throws Exception {
        try (TestDatabase db = new TestDatabase(dir)) {
            ReplayCache earlier = new ReplayCache(db.jdbi(), new MutableClock(NOW), WINDOW);
            String old = "c3".repeat(64);
            String live = "d4".repeat(64);
            earlier.hold(old, NOW - 100); // expired at NOW - 39
            earlier.settle();
            earlier.hold(live, NOW - 10); // good until NOW + 51
            earlier.settle();
            assertTrue(earlier.seen(old, NOW - 100));
            assertFalse(earlier.seen(old, NOW - 99), "found by the created_at its own event carries");

            // a process whose first claim sweeps
            ReplayCache later = new ReplayCache(db.jdbi(), new MutableClock(NOW + 1), WINDOW);
            later.hold("e5".repeat(64), NOW);
            later.settle();
            assertFalse(later.seen(old, NOW - 100), "the expired claim is gone");
            assertTrue(later.seen(live, NOW - 10), "the live claim stays");
            assertEquals(2, db.count("SELECT COUNT(*) FROM nip98_replays"));
        }
    }
}
