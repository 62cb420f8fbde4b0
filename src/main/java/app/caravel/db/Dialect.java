package app.caravel.db;

import org.jdbi.v3.core.Handle;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The two engines the service runs on. The SQL of the DAOs is written once for both; what only one engine
 * has (SQLite's pragmas, JobRunr's storage class) is decided here, from the connection itself.
 */
public enum Dialect {
    SQLITE, POSTGRES;

    public static Dialect of(Connection connection) {
        try {
            String product = connection.getMetaData().getDatabaseProductName();
            return switch (product) {
                case "SQLite" -> SQLITE;
                case "PostgreSQL" -> POSTGRES;
                default -> throw new IllegalStateException("unsupported database engine: " + product);
            };
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell the database engine", e);
        }
    }

    public static Dialect of(Handle handle) {
        return of(handle.getConnection());
    }

    public static Dialect of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a connection to tell the database engine: " + e.getMessage(), e);
        }
    }
}
