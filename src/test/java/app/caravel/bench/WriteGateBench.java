package app.caravel.bench;

import app.caravel.support.TestDatabase;
import io.dropwizard.db.DataSourceFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * `make bench-db`: one small write transaction on the app's SQLite file, through the write gate as JDBI runs it
 * (setAutoCommit(false), the insert, commit(), setAutoCommit(true), close), beside its floors on one plain
 * connection with the app's settings: the fewest statements (BEGIN IMMEDIATE, the insert, COMMIT), and the
 * driver's own commit(), which begins the next transaction at once and so costs a second BEGIN and COMMIT.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WriteGateBench {
    private static final String INSERT = "INSERT INTO bench_rows (v) VALUES (?)";

    private Path dir;
    private TestDatabase test;
    private Connection plain;
    private long n;

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("caravel-write-gate-bench");
        test = new TestDatabase(dir);
        test.jdbi().useHandle(h -> h.execute("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"));
        DataSourceFactory app = test.config().dataSourceFactory();
        Properties settings = new Properties();
        settings.putAll(app.getProperties());
        plain = DriverManager.getConnection(app.getUrl(), settings);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        plain.close();
        test.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void floorFewestStatements() throws SQLException {
        plain.setAutoCommit(false);
        insert(plain);
        plain.setAutoCommit(true);
    }

    @Benchmark
    public void floorDriversCommit() throws SQLException {
        plain.setAutoCommit(false);
        insert(plain);
        plain.commit();
        plain.setAutoCommit(true);
    }

    @Benchmark
    public void throughTheGate() throws SQLException {
        try (Connection c = test.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insert(c);
            c.commit();
            c.setAutoCommit(true);
        }
    }

    private void insert(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(INSERT)) {
            p.setString(1, "row " + n++);
            p.executeUpdate();
        }
    }

    public static void main(String[] args) throws Exception {
        JmhTable.run(WriteGateBench.class, "one write transaction", "µs per transaction", "bench-db.txt");
    }
}
