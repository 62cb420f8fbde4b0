package app.caravel.db;

import io.dropwizard.db.ManagedDataSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Queues this process's SQLite transactions in a fair line before they reach SQLite. With
 * {@code transaction_mode=IMMEDIATE} every transaction takes the file's one write lock; writers that find it
 * taken wait in SQLite's busy handler, which sleeps 1, 2, 5 … 100 ms between tries: under 16 concurrent POSTs
 * some lost again and again and waited over a second (p99 1,242 ms; 149 ms with the gate). A transaction, from
 * {@code setAutoCommit(false)} to {@code setAutoCommit(true)} or close, holds a permit, handed over in arrival
 * order the moment the holder ends. Only speed rests on it: SQLite still decides (a transaction that waits
 * longer than the busy timeout goes on without a permit, and other processes, such as operator commands, only
 * meet SQLite's lock). A thread that opens a second transaction inside its first passes, as it would have
 * deadlocked on SQLite anyway, to fail after the busy timeout as before.
 */
public final class SqliteWriteGate extends DelegatingDataSource implements ManagedDataSource {
    private final ManagedDataSource managed;
    private final Semaphore permit = new Semaphore(1, true);
    private final ThreadLocal<int[]> openOnThread = ThreadLocal.withInitial(() -> new int[1]);
    private final long patienceMillis;

    private SqliteWriteGate(ManagedDataSource pool, Duration patience) {
        super(pool);
        this.managed = pool;
        this.patienceMillis = patience.toMillis();
    }

    /** {@code pool} itself on PostgreSQL (its row locks need no line); on SQLite, the pool behind a gate. */
    public static ManagedDataSource around(ManagedDataSource pool, Duration busyTimeout) {
        return Dialect.of(pool) == Dialect.SQLITE ? new SqliteWriteGate(pool, busyTimeout) : pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return gated(pool.getConnection());
    }

    /** The transactions now waiting for the permit (for tests and metrics). */
    public int waiting() {
        return permit.getQueueLength();
    }

    private Connection gated(Connection connection) {
        Transaction transaction = new Transaction();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setAutoCommit" -> {
                            boolean autoCommit = (Boolean) args[0];
                            if (!autoCommit && !transaction.open) {
                                transaction.begin();
                            }
                            try {
                                connection.setAutoCommit(autoCommit);
                            } catch (SQLException e) {
                                if (!autoCommit) {
                                    transaction.end();
                                }
                                throw e;
                            }
                            if (autoCommit) {
                                transaction.end();
                            }
                            return null;
                        }
                        case "close" -> {
                            try {
                                connection.close();
                            } finally {
                                transaction.end();
                            }
                            return null;
                        }
                        default -> {
                            try {
                                return method.invoke(connection, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    /** One connection's transaction: whether it is open and whether it holds the permit. */
    private final class Transaction {
        private boolean open;
        private boolean holdsPermit;
        private int[] openOnItsThread;

        void begin() throws InterruptedException {
            openOnItsThread = openOnThread.get();
            // a transaction nested in one this thread holds would wait for itself: let SQLite decide
            holdsPermit = openOnItsThread[0] == 0 && permit.tryAcquire(patienceMillis, TimeUnit.MILLISECONDS);
            openOnItsThread[0]++;
            open = true;
        }

        void end() {
            if (!open) {
                return;
            }
            open = false;
            openOnItsThread[0]--;
            if (holdsPermit) {
                holdsPermit = false;
                permit.release();
            }
        }
    }

    @Override
    public void start() throws Exception {
        managed.start();
    }

    @Override
    public void stop() throws Exception {
        managed.stop();
    }
}
