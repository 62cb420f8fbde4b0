package app.caravel.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL 17 server for the tests, from Maven Central's binaries (nothing to install): started once
 * per test JVM on a free loopback port, stopped when the JVM exits; each test app gets a database of its own.
 */
public final class TestPostgres {
    /** {@code -Dcaravel.pg-statements=true}: the server keeps pg_stat_statements (the load bench's breakdown). */
    private static final boolean STATEMENT_STATS = Boolean.getBoolean("caravel.pg-statements");
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        // many test apps, each with its pool, share this server
                        .setServerConfig("max_connections", "400")
                        .setServerConfig("fsync", "off");
                if (STATEMENT_STATS) {
                    builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
                }
                server = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the server's temp folder goes with it
                }
            }));
        }
        return server;
    }

    /** A new, empty database on the shared server, as a DATABASE_URL. */
    public static String newDatabaseUrl() {
        String name = "caravel_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        EmbeddedPostgres pg = server();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return "postgres://postgres:unused@127.0.0.1:" + pg.getPort() + "/" + name;
    }

    /** Whether this JVM's server keeps statement statistics ({@code -Dcaravel.pg-statements=true}). */
    public static boolean statementStats() {
        return STATEMENT_STATS;
    }

    /** Forgets the statement statistics gathered so far, on every database of the server. */
    public static void resetStatementStats() {
        onServer(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                s.execute("SELECT pg_stat_statements_reset()");
            }
            return null;
        });
    }

    /** One statement's totals since the last reset: calls, rows and execution time (waits included). */
    public record StatementStat(String query, long calls, long rows, double execMillis) {
    }

    /** The {@code limit} statements of database {@code url} that took the most execution time since the reset. */
    public static java.util.List<StatementStat> statementStats(String url, int limit) {
        String database = url.substring(url.lastIndexOf('/') + 1);
        return onServer(c -> {
            java.util.List<StatementStat> out = new java.util.ArrayList<>();
            try (var ps = c.prepareStatement("SELECT query, calls, rows, total_exec_time "
                    + "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = ?) "
                    + "ORDER BY total_exec_time DESC LIMIT ?")) {
                ps.setString(1, database);
                ps.setInt(2, limit);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StatementStat(rs.getString(1).replaceAll("\\s+", " "), rs.getLong(2),
                                rs.getLong(3), rs.getDouble(4)));
                    }
                }
            }
            return out;
        });
    }

    private interface OnServer<T> {
        T run(Connection connection) throws SQLException;
    }

    private static <T> T onServer(OnServer<T> work) {
        try (Connection c = server().getPostgresDatabase().getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("pg_stat_statements: " + e.getMessage(), e);
        }
    }
}
