package app.caravel.jobs;

import app.caravel.db.DelegatingDataSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The data source JobRunr is given. Normally it hands out pool connections; inside {@link #joining} it
 * hands out the caller's open transaction instead, with commit/rollback/close made no-ops, so that a job
 * enqueued by an API write is stored in the same SQLite transaction as the row and its activity: both
 * commit, or neither does.
 */
public final class SharedTransactionDataSource extends DelegatingDataSource {
    private static final Set<String> SWALLOWED = Set.of("close", "commit", "rollback", "setAutoCommit");

    private final ThreadLocal<Connection> joined = new ThreadLocal<>();

    public SharedTransactionDataSource(DataSource pool) {
        super(pool);
    }

    /** Runs {@code work} with JobRunr writing through {@code transaction}, the caller's open connection. */
    public <T> T joining(Connection transaction, Supplier<T> work) {
        Connection previous = joined.get();
        joined.set(transaction);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                joined.remove();
            } else {
                joined.set(previous);
            }
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection transaction = joined.get();
        return transaction == null ? pool.getConnection() : borrowed(transaction);
    }

    private static Connection borrowed(Connection transaction) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (SWALLOWED.contains(method.getName())) {
                        return null;
                    }
                    if (method.getName().equals("getAutoCommit")) {
                        return false;
                    }
                    try {
                        return method.invoke(transaction, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
