package app.caravel.db;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.db.ManagedDataSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Queues this process's SQLite transactions in a fair line before they reach SQLite, and runs each one that
 * gets its turn on one writer connection. With {@code transaction_mode=IMMEDIATE} every transaction takes the
 * file's one write lock; writers that find it taken wait in SQLite's busy handler, which sleeps 1, 2, 5 … 100 ms
 * between tries: under 16 concurrent POSTs some lost again and again and waited over a second (p99 1,242 ms;
 * 149 ms with the gate). A transaction, from {@code setAutoCommit(false)} to {@code setAutoCommit(true)} or
 * close, holds a permit, handed over in arrival order the moment the holder ends.
 * <p>
 * The writer connection is why a transaction's pages are read from memory: SQLite empties a connection's page
 * cache whenever another connection committed since its last transaction, so with transactions spread over
 * the pool every write began by reading its B-tree paths again from the file. The writer only ever sees its
 * own commits. Reads outside transactions stay on the pooled connection the caller was given.
 * <p>
 * Only speed rests on the gate: SQLite still decides (a transaction that waits longer than the busy timeout
 * goes on without a permit, on its own connection, and other processes, such as operator commands, only meet
 * SQLite's lock). A thread that opens a second transaction inside its first passes, on its own connection, as
 * it would have deadlocked on SQLite anyway, to fail after the busy timeout as before.
 * <p>
 * Metrics (admin port): {@code <name>.permit-wait} and {@code <name>.permit-held}, timers of the wait for the
 * permit and of each turn; {@code <name>.permit-held-nanos}, a counter of the time the permit was held, whose
 * rate is the share of time this process wrote (near 1 s per second, writes queue behind one another).
 */
public final class SqliteWriteGate extends DelegatingDataSource implements ManagedDataSource {
    private final ManagedDataSource managed;
    private final ManagedDataSource writer;
    private final Semaphore permit = new Semaphore(1, true);
    private final ThreadLocal<int[]> openOnThread = ThreadLocal.withInitial(() -> new int[1]);
    private final long patienceMillis;
    private final Timer waits;
    private final Timer turns;
    private final Counter heldNanos;

    /** {@code writer}: a pool of one connection to the same file as {@code pool}; metrics named {@code name}.… */
    public SqliteWriteGate(ManagedDataSource pool, ManagedDataSource writer, Duration patience, MetricRegistry metrics,
                           String name) {
        super(pool);
        this.managed = pool;
        this.writer = writer;
        this.patienceMillis = patience.toMillis();
        this.waits = metrics.timer(name + ".permit-wait");
        this.turns = metrics.timer(name + ".permit-held");
        this.heldNanos = metrics.counter(name + ".permit-held-nanos");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return gated(pool.getConnection());
    }

    /** The transactions now waiting for the permit (for tests and metrics). */
    public int waiting() {
        return permit.getQueueLength();
    }

    private Connection gated(Connection pooled) {
        Transaction transaction = new Transaction(pooled);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setAutoCommit" -> {
                            boolean autoCommit = (Boolean) args[0];
                            if (!autoCommit && !transaction.open) {
                                transaction.begin();
                            }
                            try {
                                transaction.connection().setAutoCommit(autoCommit);
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
                                transaction.end();
                            } finally {
                                pooled.close();
                            }
                            return null;
                        }
                        default -> {
                            try {
                                return method.invoke(transaction.connection(), args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    /** One connection's transaction: whether it is open, whether it holds the permit and the writer. */
    private final class Transaction {
        private final Connection pooled;
        private Connection onWriter;
        private boolean open;
        private boolean holdsPermit;
        private long heldSince;
        private int[] openOnItsThread;

        Transaction(Connection pooled) {
            this.pooled = pooled;
        }

        /** Where the caller's statements go now: the writer inside a transaction that got its turn. */
        Connection connection() {
            return onWriter != null ? onWriter : pooled;
        }

        void begin() throws InterruptedException, SQLException {
            openOnItsThread = openOnThread.get();
            // a transaction nested in one this thread holds would wait for itself: let SQLite decide
            long asked = System.nanoTime();
            holdsPermit = openOnItsThread[0] == 0 && permit.tryAcquire(patienceMillis, TimeUnit.MILLISECONDS);
            heldSince = System.nanoTime();
            if (holdsPermit) {
                waits.update(heldSince - asked, TimeUnit.NANOSECONDS);
            }
            openOnItsThread[0]++;
            open = true;
            if (holdsPermit) {
                try {
                    onWriter = writer.getConnection(); // the permit holder is its only user: never waits
                } catch (SQLException | RuntimeException e) {
                    end();
                    throw e;
                }
            }
        }

        void end() throws SQLException {
            if (!open) {
                return;
            }
            open = false;
            openOnItsThread[0]--;
            Connection leaving = onWriter;
            onWriter = null;
            try {
                if (leaving != null) {
                    try {
                        if (!leaving.getAutoCommit()) { // closed inside its transaction: nothing of it commits
                            leaving.rollback();
                            leaving.setAutoCommit(true);
                        }
                    } finally {
                        leaving.close();
                    }
                }
            } finally {
                if (holdsPermit) {
                    holdsPermit = false;
                    long held = System.nanoTime() - heldSince;
                    permit.release();
                    turns.update(held, TimeUnit.NANOSECONDS);
                    heldNanos.inc(held);
                }
            }
        }
    }

    @Override
    public void start() throws Exception {
        managed.start();
        writer.start();
    }

    @Override
    public void stop() throws Exception {
        try {
            writer.stop();
        } finally {
            managed.stop();
        }
    }
}
