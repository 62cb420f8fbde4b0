package app.caravel.db;

import app.caravel.support.Await;
import app.caravel.support.TestDatabase;
import app.caravel.support.TestEngine;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The SQLite write gate on a real database file, with SQLite's own busy timeout cut to 50 ms: what would
 * fail with SQLITE_BUSY after 50 ms in SQLite's busy handler waits its turn in the gate instead.
 */
class SqliteWriteGateTest {
    private static final String SQLITE_ONLY = "SQLite's one write lock: PostgreSQL is not gated";
    @TempDir
    Path dir;
    private TestDatabase test;
    private ManagedDataSource gate;
    private final MetricRegistry metrics = new MetricRegistry();

    @BeforeEach
    void open() throws Exception {
        test = new TestDatabase(dir);
        if (TestEngine.postgres()) {
            return;
        }
        DataSourceFactory app = test.config().dataSourceFactory();
        DataSourceFactory impatient = new DataSourceFactory();
        impatient.setUrl(app.getUrl());
        impatient.setDriverClass(app.getDriverClass());
        Map<String, String> properties = new HashMap<>(app.getProperties());
        properties.put("busy_timeout", "50");
        impatient.setProperties(properties);
        impatient.setMaxSize(20);
        ManagedDataSource pool = impatient.build(new MetricRegistry(), "gate-test");
        ManagedDataSource writer = ConnectionPool.writerOf(impatient).build(new MetricRegistry(), "gate-test-writer");
        gate = new SqliteWriteGate(pool, writer, Duration.ofSeconds(30), metrics, "test-writer");
        gate.start();
        try (Connection c = gate.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE counter (n INTEGER NOT NULL)");
            s.execute("INSERT INTO counter VALUES (0)");
        }
    }

    @AfterEach
    void close() throws Exception {
        if (gate != null) {
            gate.stop();
        }
        test.close();
    }

    @Test
    void onlySqliteIsGated() {
        ManagedDataSource app = ConnectionPool.build(test.config().dataSourceFactory(), new MetricRegistry(), "app");
        assertEquals(!TestEngine.postgres(), app instanceof SqliteWriteGate, "PostgreSQL's row locks need no line");
    }

    @Test
    void transactionsFromDifferentPooledConnectionsRunOnOneWriterAndReadsStayOnTheirs() throws Exception {
        assumeFalse(TestEngine.postgres(), SQLITE_ONLY);
        // a TEMP table lives on the one SQLite connection that made it: where it is seen, that connection runs
        try (Connection first = gate.getConnection(); Connection second = gate.getConnection()) {
            first.setAutoCommit(false);
            try (Statement s = first.createStatement()) {
                s.execute("CREATE TEMP TABLE made_here (x INTEGER)");
            }
            first.commit();
            first.setAutoCommit(true);
            second.setAutoCommit(false);
            try (Statement s = second.createStatement(); var rows = s.executeQuery("SELECT count(*) FROM made_here")) {
                rows.next();
                assertEquals(0, rows.getInt(1), "the second transaction ran on the first one's connection");
            }
            second.commit();
            second.setAutoCommit(true);
            try (Statement s = second.createStatement()) {
                SQLException missing = assertThrows(SQLException.class, () -> s.executeQuery("SELECT count(*) FROM made_here"));
                assertTrue(missing.getMessage().contains("no such table"), missing.getMessage());
            }
        }
    }

    @Test
    void sixteenWritersHoldingTheLockLongerThanSqlitesBusyTimeoutAllCommit() throws Exception {
        assumeFalse(TestEngine.postgres(), SQLITE_ONLY);
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int i = 0; i < 16 * 20; i++) {
                runs.add(CompletableFuture.runAsync(() -> increment(5), writers));
            }
            // each holds the lock 5 ms, so the last of 16 in line waits ~80 ms: past SQLite's 50 ms, not the gate's
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            writers.shutdownNow();
        }
        assertEquals(320, count(), "every increment landed, none lost to SQLITE_BUSY");
        // what an operator reads on the admin port: every turn timed, the time held adding up to the holds
        assertEquals(320, metrics.timer("test-writer.permit-held").getCount());
        assertEquals(320, metrics.timer("test-writer.permit-wait").getCount());
        long held = metrics.counter("test-writer.permit-held-nanos").getCount();
        assertTrue(held >= 320 * 5_000_000L, "held " + held + " ns, at least the 320 holds of 5 ms");
        assertTrue(metrics.timer("test-writer.permit-wait").getSnapshot().getMax() >= 5_000_000L,
                "writers in line waited at least one hold");
        // the holders slept through their turns: the CPU they used is counted, and is far less than held
        long cpu = metrics.counter("test-writer.permit-held-cpu-nanos").getCount();
        assertTrue(cpu > 0 && cpu < held / 2, "CPU in turns " + cpu + " ns of " + held + " ns held");
    }

    @Test
    void aReadIsNotKeptWaitingForThePoolByTransactionsInLine() throws Exception {
        assumeFalse(TestEngine.postgres(), SQLITE_ONLY);
        DataSourceFactory one = ConnectionPool.writerOf(test.config().dataSourceFactory()); // a pool of one
        one.setMaxWaitForConnection(io.dropwizard.util.Duration.seconds(2));
        ManagedDataSource pooled = one.build(new MetricRegistry(), "gate-test-one");
        ManagedDataSource small = new SqliteWriteGate(pooled,
                ConnectionPool.writerOf(test.config().dataSourceFactory()).build(new MetricRegistry(), "gate-test-one-writer"),
                Duration.ofSeconds(30), new MetricRegistry(), "one-writer");
        small.start();
        ExecutorService writers = Executors.newFixedThreadPool(3);
        try (Connection holder = small.getConnection()) {
            holder.setAutoCommit(false); // holds the permit, as a writer mid-transaction does
            try (Statement s = holder.createStatement()) {
                s.execute("UPDATE counter SET n = n + 1");
            }
            List<CompletableFuture<Void>> inLine = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                inLine.add(CompletableFuture.runAsync(() -> {
                    try (Connection c = small.getConnection()) {
                        c.setAutoCommit(false);
                        try (Statement s = c.createStatement()) {
                            s.execute("UPDATE counter SET n = n + 1");
                        }
                        c.commit();
                        c.setAutoCommit(true);
                    } catch (SQLException | RuntimeException e) {
                        throw new IllegalStateException(e);
                    }
                }, writers));
            }
            Await.until("three transactions in line", Duration.ofSeconds(10), () -> ((SqliteWriteGate) small).waiting() == 3);
            // the pool's one connection is free for a read: no transaction, running or in line, took it
            assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
                try (Connection reader = small.getConnection(); Statement s = reader.createStatement();
                     var rows = s.executeQuery("SELECT n FROM counter")) {
                    rows.next();
                    assertEquals(0, rows.getLong(1), "the read sees what is committed, not the open transaction");
                }
            });
            holder.commit();
            holder.setAutoCommit(true);
            CompletableFuture.allOf(inLine.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } finally {
            writers.shutdownNow();
            small.stop();
        }
        assertEquals(4, count());
    }

    @Test
    void workInATurnWaitsForTheTransactionHoldingThePermitThenRunsOnTheWriter() throws Exception {
        assumeFalse(TestEngine.postgres(), SQLITE_ONLY);
        SqliteWriteGate writeGate = (SqliteWriteGate) gate;
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Connection holder = gate.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("UPDATE counter SET n = n + 1");
            }
            CompletableFuture<Long> seen = CompletableFuture.supplyAsync(() -> {
                long[] n = {-1};
                try {
                    assertTrue(writeGate.inTurn(writer -> {
                        try (Statement s = writer.createStatement(); var rows = s.executeQuery("SELECT n FROM counter")) {
                            rows.next();
                            n[0] = rows.getLong(1);
                        }
                    }));
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return n[0];
            }, other);
            Await.until("the work in line", Duration.ofSeconds(10), () -> writeGate.waiting() == 1);
            assertFalse(seen.isDone(), "no work in a turn while a transaction holds the permit");
            holder.commit();
            holder.setAutoCommit(true);
            assertEquals(1, seen.get(10, TimeUnit.SECONDS), "it ran after the commit, and saw it");
        } finally {
            other.shutdownNow();
        }
        assertEquals(2, metrics.timer("test-writer.permit-held").getCount(), "the transaction's turn and the work's");
        assertEquals(2, metrics.timer("test-writer.permit-wait").getCount());
    }

    @Test
    void aConnectionAnswersAsJdbcSaysBeforeAndAfterItsTransaction() throws Exception {
        assumeFalse(TestEngine.postgres(), SQLITE_ONLY);
        Connection c = gate.getConnection();
        assertTrue(c.getAutoCommit(), "a fresh connection commits each statement");
        c.setAutoCommit(true); // already so: a no-op
        c.setAutoCommit(false);
        assertFalse(c.getAutoCommit());
        try (Statement s = c.createStatement()) {
            s.execute("UPDATE counter SET n = n + 1");
        }
        c.commit();
        c.setAutoCommit(true);
        assertTrue(c.getAutoCommit());
        assertFalse(c.isClosed());
        c.close();
        c.close(); // twice is allowed
        assertTrue(c.isClosed());
        assertThrows(SQLException.class, c::createStatement, "a closed connection runs nothing");
        assertEquals(1, count());
    }

    @Test
    void aCommitFreesTheFileAndTheNextStatementBeginsTheNextTransaction() throws Exception {
        assumeFalse(TestEngine.postgres(), SQLITE_ONLY);
        Connection c = gate.getConnection();
        c.setAutoCommit(false);
        add(c, 1);
        c.commit();
        assertFalse(c.getAutoCommit(), "JDBC: still manual commit, the next statement is in a new transaction");
        // the driver's own commit() begins the next transaction at once, holding the file's write lock until
        // setAutoCommit(true): another process would wait for it (here 50 ms, then SQLITE_BUSY)
        Properties impatient = new Properties();
        impatient.setProperty("busy_timeout", "50");
        try (Connection other = DriverManager.getConnection(test.config().dataSourceFactory().getUrl(), impatient)) {
            add(other, 10);
        }
        assertEquals(11, count());
        add(c, 100);
        c.rollback();
        assertEquals(11, count(), "the statement after the commit was in a transaction, rolled back");
        add(c, 1000);
        c.setAutoCommit(true); // commits, as JDBC says
        assertEquals(1011, count());
        add(c, 10000);
        assertEquals(11011, count(), "auto-commit again");
        c.close();
    }

    private static void add(Connection c, int n) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("UPDATE counter SET n = n + " + n);
        }
    }

    @Test
    void aSecondTransactionWaitsForTheFirstAndGoesOnWhenItEnds() throws Exception {
        assumeFalse(TestEngine.postgres(), SQLITE_ONLY);
        Connection first = gate.getConnection();
        first.setAutoCommit(false);
        try (Statement s = first.createStatement()) {
            s.execute("UPDATE counter SET n = n + 1");
        }
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> increment(0));
        SqliteWriteGate gated = (SqliteWriteGate) gate;
        Await.until("the second transaction is in line", Duration.ofSeconds(10), () -> gated.waiting() == 1);
        Thread.sleep(200); // four times SQLite's busy timeout: had it reached SQLite, it would have failed by now
        assertFalse(second.isDone(), "the second waits while the first is open");
        first.commit();
        first.setAutoCommit(true);
        second.get(10, TimeUnit.SECONDS);
        first.close();
        assertEquals(2, count());
    }

    @ParameterizedTest(name = "rolled back before close: {0}")
    @ValueSource(booleans = {true, false})
    void aConnectionClosedInsideItsTransactionCommitsNothingAndLetsTheNextOneIn(boolean rolledBack) throws Exception {
        assumeFalse(TestEngine.postgres(), SQLITE_ONLY);
        Connection abandoned = gate.getConnection();
        abandoned.setAutoCommit(false);
        try (Statement s = abandoned.createStatement()) {
            s.execute("UPDATE counter SET n = n + 100");
        }
        if (rolledBack) {
            abandoned.rollback();
        }
        abandoned.close(); // neither the permit nor the writer may leave with it
        CompletableFuture.runAsync(() -> increment(0)).get(10, TimeUnit.SECONDS);
        assertEquals(1, count(), "the abandoned +100 never committed; the next transaction did, on the writer");
    }

    @Test
    void aTransactionNestedOnTheSameThreadIsLeftToSqliteAndFailsInsteadOfHanging() throws Exception {
        assumeFalse(TestEngine.postgres(), SQLITE_ONLY);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (Connection outer = gate.getConnection(); Connection inner = gate.getConnection()) {
                outer.setAutoCommit(false);
                try (Statement s = outer.createStatement()) {
                    s.execute("UPDATE counter SET n = n + 1");
                }
                // sqlite-jdbc begins (IMMEDIATE) in setAutoCommit(false): SQLite refuses after its busy timeout
                SQLException busy = assertThrows(SQLException.class, () -> inner.setAutoCommit(false));
                assertTrue(busy.getMessage().contains("SQLITE_BUSY"), busy.getMessage());
                outer.commit();
                outer.setAutoCommit(true);
            }
        });
        assertEquals(1, count());
        CompletableFuture.runAsync(() -> increment(0)).get(10, TimeUnit.SECONDS);
        assertEquals(2, count(), "both permits were given back");
    }

    private void increment(long holdMillis) {
        try (Connection c = gate.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE counter SET n = n + 1");
                if (holdMillis > 0) {
                    Thread.sleep(holdMillis);
                }
            }
            c.commit();
            c.setAutoCommit(true);
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count() throws SQLException {
        try (Connection c = gate.getConnection(); Statement s = c.createStatement();
             var rows = s.executeQuery("SELECT n FROM counter")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
