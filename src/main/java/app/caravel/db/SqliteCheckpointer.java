package app.caravel.db;

import io.dropwizard.lifecycle.Managed;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class SqliteCheckpointer implements Managed {
    /** The per-connection threshold (pages) set as the connection property {@code wal_autocheckpoint}. */
    public static final int AUTOCHECKPOINT_PAGES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(SqliteCheckpointer.class);

    private final Jdbi jdbi;
    private final Duration every;
    private ScheduledExecutorService thread;

    public SqliteCheckpointer(Jdbi jdbi, Duration every) {
        this.jdbi = jdbi;
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

    /** One PASSIVE checkpoint: as many WAL frames as no reader still needs; never waits for a lock. */
    void checkpoint() {
        try {
            jdbi.useHandle(h -> h.createQuery("PRAGMA wal_checkpoint(PASSIVE)").mapToMap().list());
        } catch (RuntimeException e) {
            LOG.warn("WAL checkpoint failed (the connection's own checkpoint still runs): {}", e.getMessage());
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
