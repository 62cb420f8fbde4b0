package app.caravel.db;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.db.ManagedDataSource;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
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
 * own commits. Reads outside transactions run on a pooled connection, borrowed at the first of them.
 * <p>
 * Only speed rests on the gate: SQLite still decides (a transaction that waits longer than the busy timeout
 * goes on without a permit, on its own connection, and other processes, such as operator commands, only meet
 * SQLite's lock). A thread that opens a second transaction inside its first passes, on its own connection, as
 * it would have deadlocked on SQLite anyway, to fail after the busy timeout as before.
 * <p>
 * Metrics (admin port): {@code <name>.permit-wait} and {@code <name>.permit-held}, timers of the wait for the
 * permit and of each turn; {@code <name>.permit-held-nanos}, a counter of the time the permit was held, whose
 * rate is the share of time this process wrote (near 1 s per second, writes queue behind one another);
 * {@code <name>.permit-held-cpu-nanos}, the CPU (user and kernel) the holders used in their turns: held time
 * well above it means holders wait for a core or the disk inside their turn rather than work.
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
    private final Counter heldCpuNanos;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final boolean threadCpuKnown = threads.isCurrentThreadCpuTimeSupported();

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
        this.heldCpuNanos = metrics.counter(name + ".permit-held-cpu-nanos");
    }

    @Override
    public Connection getConnection() {
        Transaction transaction = new Transaction();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "setAutoCommit" -> {
                        transaction.setAutoCommit((Boolean) args[0]);
                        yield null;
                    }
                    case "getAutoCommit" -> transaction.autoCommit();
                    case "commit" -> {
                        transaction.commit();
                        yield null;
                    }
                    case "rollback" -> {
                        if (args == null) {
                            transaction.rollback();
                        } else {
                            transaction.connection().rollback((Savepoint) args[0]);
                        }
                        yield null;
                    }
                    case "isClosed" -> transaction.closed;
                    case "close" -> {
                        transaction.close();
                        yield null;
                    }
                    case "toString" -> "SqliteWriteGate connection";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> {
                        try {
                            yield method.invoke(transaction.connection(), args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
    }

    /** Work on the writer connection, in auto-commit (statements SQLite refuses inside a transaction). */
    @FunctionalInterface
    public interface WriterWork {
        void run(Connection writer) throws SQLException;
    }

    /**
     * Runs {@code work} on the writer connection holding the permit, in line with the transactions: no write
     * of this process commits while it runs. Returns false, having done nothing, when the permit did not come
     * within the gate's patience.
     */
    public boolean inTurn(WriterWork work) throws InterruptedException, SQLException {
        Turn turn = take();
        if (turn == null) {
            return false;
        }
        try (Connection connection = writer.getConnection()) {
            work.run(connection);
            return true;
        } finally {
            release(turn);
        }
    }

    /** A turn with the permit: when it began, and the holder thread's CPU time then. */
    private record Turn(long since, long cpuFrom) {
    }

    /** Waits for the permit up to the gate's patience, counting the wait: the turn, or null if it did not come. */
    private Turn take() throws InterruptedException {
        long asked = System.nanoTime();
        if (!permit.tryAcquire(patienceMillis, TimeUnit.MILLISECONDS)) {
            return null;
        }
        long since = System.nanoTime();
        waits.update(since - asked, TimeUnit.NANOSECONDS);
        return new Turn(since, threadCpuNanos());
    }

    /** Gives the permit back and counts the turn's time held and CPU. */
    private void release(Turn turn) {
        long held = System.nanoTime() - turn.since();
        long cpu = threadCpuNanos() - turn.cpuFrom();
        permit.release();
        turns.update(held, TimeUnit.NANOSECONDS);
        heldNanos.inc(held);
        heldCpuNanos.inc(cpu);
    }

    /** The transactions now waiting for the permit (for tests and metrics). */
    public int waiting() {
        return permit.getQueueLength();
    }

    /**
     * One handed-out connection: whether a transaction is open on it, whether that holds the permit and the
     * writer, and the pooled connection, borrowed only when a statement runs outside a turn on the writer. So
     * a transaction never takes a pooled connection, waiting in line or running: reads are not kept waiting
     * for the pool by writers queued for the permit (JDBI and JobRunr ask only getAutoCommit before BEGIN).
     */
    private final class Transaction {
        private Connection pooled;
        private Connection onWriter;
        private boolean open;
        private boolean closed;
        /** The permit's turn this transaction holds, or null. */
        private Turn turn;
        /** The writer's transaction was committed by commit(); the caller's goes on, begun again at its next statement. */
        private boolean committed;
        private int[] openOnItsThread;

        /** Where the caller's statements go now: the writer inside a transaction that got its turn. */
        Connection connection() throws SQLException {
            if (closed) {
                throw new SQLException("connection is closed");
            }
            if (onWriter != null) {
                if (committed) {
                    committed = false;
                    onWriter.setAutoCommit(false);
                }
                return onWriter;
            }
            if (pooled == null) {
                pooled = pool.getConnection();
            }
            return pooled;
        }

        boolean autoCommit() throws SQLException {
            if (committed) {
                return false; // the caller's transaction is still open, with nothing in it yet
            }
            if (onWriter == null && pooled == null && !closed) {
                return true; // nothing borrowed: outside a transaction, each statement commits on its own
            }
            return connection().getAutoCommit();
        }

        void setAutoCommit(boolean autoCommit) throws InterruptedException, SQLException {
            if (autoCommit && !open && pooled == null && !closed) {
                return; // already in auto-commit: nothing to borrow for it
            }
            if (!autoCommit && !open) {
                begin();
            }
            if (committed) {
                if (autoCommit) {
                    end(); // nothing since the commit
                }
                return;
            }
            try {
                connection().setAutoCommit(autoCommit);
            } catch (SQLException e) {
                if (!autoCommit) {
                    end();
                }
                throw e;
            }
            if (autoCommit) {
                end();
            }
        }

        /**
         * On the writer, commits with {@code setAutoCommit(true)}: the driver's {@code commit()} runs COMMIT and
         * at once BEGIN IMMEDIATE for the next transaction, which the caller nearly always ends empty with
         * {@code setAutoCommit(true)}, a second COMMIT, inside the permit's turn.
         */
        void commit() throws SQLException {
            if (onWriter == null) {
                connection().commit();
            } else if (!committed) {
                onWriter.setAutoCommit(true);
                committed = true;
            }
        }

        void rollback() throws SQLException {
            if (!committed) {
                connection().rollback();
            }
        }

        void begin() throws InterruptedException, SQLException {
            openOnItsThread = openOnThread.get();
            // a transaction nested in one this thread holds would wait for itself: let SQLite decide
            turn = openOnItsThread[0] == 0 ? take() : null;
            openOnItsThread[0]++;
            open = true;
            if (turn != null) {
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
            committed = false;
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
                if (turn != null) {
                    Turn ending = turn;
                    turn = null;
                    release(ending);
                }
            }
        }

        void close() throws SQLException {
            if (closed) {
                return;
            }
            try {
                end();
            } finally {
                closed = true;
                if (pooled != null) {
                    pooled.close();
                }
            }
        }
    }

    /** This thread's CPU time (user and kernel), 0 where the JVM cannot tell. */
    private long threadCpuNanos() {
        return threadCpuKnown ? threads.getCurrentThreadCpuTime() : 0;
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
