package app.caravel.db;

import io.dropwizard.lifecycle.Managed;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Copies the SQLite WAL back into the database file from a thread of its own. SQLite's automatic checkpoint
 * runs inside the commit that crosses its threshold, so a request holding the one write lock paid for it
 * (two fsyncs and the copy): under 16 concurrent POST /relays that was several times a second. A PASSIVE
 * checkpoint takes no write lock, so writers go on beside it. The connection's own automatic checkpoint
 * stays, at a higher threshold ({@link #AUTOCHECKPOINT_PAGES}), as the backstop for other processes on the
 * file (operator commands) and for a WAL this thread could not keep up with.
 *
 * <p>Copying is not enough: SQLite starts the WAL over from its beginning only when a write transaction begins
 * with every frame copied, and under a stream of commits a new one nearly always lands between this thread's
 * pass and the next BEGIN. The WAL then grew to the backstop, and the commit that crossed it stalled every
 * writer for 50-114 ms (BENCHMARKS.md, 2026-12-07). So once the WAL holds {@link #RESTART_FRAMES} frames, a
 * second pass runs in a turn of the {@link SqliteWriteGate}: it copies the frames written since the first,
 * and as no commit can follow it before the next write transaction begins, that one restarts the WAL.
 */
public final class SqliteCheckpointer implements Managed {
    /** The per-connection threshold (pages) set as the connection property {@code wal_autocheckpoint}. */
    public static final int AUTOCHECKPOINT_PAGES = 10_000;
    /** The WAL's length (frames of 4 KiB) from which a pass is followed by one in the writers' line. */
    static final int RESTART_FRAMES = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(SqliteCheckpointer.class);
    private static final String PASSIVE = "PRAGMA wal_checkpoint(PASSIVE)";

    private final Jdbi jdbi;
    private final SqliteWriteGate gate;
    private final Duration every;
    private ScheduledExecutorService thread;

    /** {@code jdbi} on {@code gate}, the app's SQLite data source. */
    public SqliteCheckpointer(Jdbi jdbi, SqliteWriteGate gate, Duration every) {
        this.jdbi = jdbi;
        this.gate = gate;
        this.every = every;
    }

    @Override
    public void start() {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sqlite-checkpointer");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::checkpoint, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One PASSIVE checkpoint beside the writers (as many WAL frames as no reader still needs; it never waits for
     * a lock), then, when the WAL is long, a second one in the writers' line.
     */
    void checkpoint() {
        try {
            int frames = jdbi.withHandle(h -> h.createQuery(PASSIVE)
                    .map((rs, ctx) -> rs.getInt("log")).one());
            if (frames >= RESTART_FRAMES) {
                gate.inTurn(writer -> {
                    try (Statement statement = writer.createStatement()) {
                        statement.execute(PASSIVE);
                    }
                });
            }
        } catch (RuntimeException | SQLException e) {
            LOG.warn("WAL checkpoint failed (the connection's own checkpoint still runs): {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (thread != null) {
            thread.shutdown();
            thread.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
