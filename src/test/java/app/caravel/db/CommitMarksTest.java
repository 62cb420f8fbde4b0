package app.caravel.db;

import app.caravel.support.Await;
import app.caravel.support.TestDatabase;
import app.caravel.support.TestEngine;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A commit mark changes whenever something was committed to the database: by the app's own connections (its
 * pool, the SQLite writer) or by a connection of another process; and it holds while nothing is, or a kept
 * answer would never be served.
 */
class CommitMarksTest {
    @TempDir
    Path dir;

    @Test
    void aMarkChangesWhenSomethingWasCommittedByAnyoneAndHoldsWhileNothingIs() throws Exception {
        try (TestDatabase test = new TestDatabase(dir)) {
            DataSourceFactory factory = test.config().dataSourceFactory();
            CommitMarks marks = ConnectionPool.commitMarks(factory, new MetricRegistry(), "marks-test");
            marks.start();
            try {
                test.jdbi().useHandle(h -> h.execute("CREATE TABLE marked (n INTEGER NOT NULL)"));
                long first = unchanging(marks);
                test.jdbi().useHandle(h -> h.createQuery("SELECT count(*) FROM marked").mapTo(Long.class).one());
                if (!TestEngine.postgres()) { // the embedded server's own work may move PostgreSQL's snapshot
                    assertEquals(first, marks.now().orElseThrow(), "a read commits nothing");
                }
                assertThrows(IllegalStateException.class, () -> test.jdbi().useTransaction(h -> {
                    h.execute("INSERT INTO marked VALUES (1)");
                    throw new IllegalStateException("rolled back");
                }));
                if (!TestEngine.postgres()) { // PostgreSQL's snapshot moves with a rollback too (a needless check)
                    assertEquals(first, marks.now().orElseThrow(), "a transaction rolled back commits nothing");
                }

                long before = marks.now().orElseThrow();
                test.jdbi().useTransaction(h -> h.execute("INSERT INTO marked VALUES (2)")); // SQLite: on the writer
                long second = marks.now().orElseThrow();
                assertNotEquals(before, second, "a transaction of this process");
                test.jdbi().useHandle(h -> h.execute("INSERT INTO marked VALUES (3)")); // SQLite: a pooled connection
                long third = marks.now().orElseThrow();
                assertNotEquals(second, third, "a statement of this process outside a transaction");

                try (Connection other = DriverManager.getConnection(factory.getUrl(), factory.getUser(),
                        factory.getPassword()); Statement s = other.createStatement()) {
                    s.execute("INSERT INTO marked VALUES (4)");
                }
                assertNotEquals(third, marks.now().orElseThrow(), "a connection of its own, as another process has");
            } finally {
                marks.stop();
            }
        }
    }

    /** A mark that held over two calls with nothing done in between: a kept answer can be served on it. */
    private static long unchanging(CommitMarks marks) {
        long last = marks.now().orElseThrow();
        for (int i = 0; i < 50; i++) {
            long next = marks.now().orElseThrow();
            if (next == last) {
                return next;
            }
            last = next;
        }
        throw new AssertionError("the mark changed on every call with nothing committed: nothing kept is ever served");
    }

    /**
     * Callers share a query only if it starts after they asked: one that arrives after a commit, while a query
     * that started before the commit is still running, gets the next one's mark, which sees the commit.
     */
    @Test
    void aPostgresCallerArrivingDuringAnOlderQueryWaitsForOneThatSeesTheCommitsBeforeIt() throws Exception {
        assumeTrue(TestEngine.postgres(), "PostgreSQL's snapshot");
        try (TestDatabase test = new TestDatabase(dir)) {
            DataSourceFactory factory = test.config().dataSourceFactory();
            test.jdbi().useHandle(h -> h.execute("CREATE TABLE marked (n INTEGER NOT NULL)"));
            ManagedDataSource one = factory.build(new MetricRegistry(), "slow-marks");
            // the snapshot first, then 400 ms before the answer comes back
            PostgresCommitMarks marks = new PostgresCommitMarks(one,
                    "SELECT pg_current_snapshot()::text, pg_sleep(0.4)");
            marks.start();
            marks.now(); // its connection is open
            ExecutorService callers = Executors.newFixedThreadPool(2);
            try {
                Future<OptionalLong> older = callers.submit(marks::now);
                Await.until("the older query runs (it took its snapshot)", Duration.ofSeconds(10), () ->
                        test.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity "
                                + "WHERE state = 'active' AND query LIKE '%pg_sleep(0.4)%' AND pid <> pg_backend_pid()")
                                .mapTo(Integer.class).one()) == 1);
                test.jdbi().useTransaction(h -> h.execute("INSERT INTO marked VALUES (1)"));
                Future<OptionalLong> after = callers.submit(marks::now); // asks while the older query runs
                long olderMark = older.get(10, TimeUnit.SECONDS).orElseThrow();
                long afterMark = after.get(10, TimeUnit.SECONDS).orElseThrow();
                assertNotEquals(olderMark, afterMark, "the later caller's mark shows the commit made before it asked");
            } finally {
                callers.shutdownNow();
                marks.stop();
            }
        }
    }

    @Test
    void aPostgresMarkIsNeverGivenToAnotherSnapshotAgain() {
        PostgresCommitMarks marks = new PostgresCommitMarks(null);
        long a = marks.mark("100:104:100,102");
        assertEquals(a, marks.mark("100:104:100,102"), "the same snapshot, the same mark");
        long b = marks.mark("100:105:100"); // 102 and 104 committed
        long late = marks.mark("100:104:100,102"); // an answer to a query that started before b's
        long c = marks.mark("100:105:100");
        assertTrue(a < b && b < late && late < c, a + " " + b + " " + late + " " + c);
    }

    @Test
    void marksNeverRepeatAcrossAWrapOfSqlitesCount() {
        SqliteCommitMarks marks = new SqliteCommitMarks(null);
        long before = marks.mark(0xFFFF_FFFEL);
        long wrapped = marks.mark(3); // 2^32 commits later, or a new connection counting from its start
        long next = marks.mark(4);
        assertTrue(before < wrapped && wrapped < next, before + " " + wrapped + " " + next);
        assertEquals(next, marks.mark(4), "no commit, the same mark");
    }
}
