package app.caravel.db;

import io.dropwizard.db.ManagedDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * PostgreSQL's {@code pg_current_snapshot()}: the transactions in progress and the first not yet completed, for
 * the whole server. A commit anywhere (this process, another, another database) takes its transaction out of
 * that set or moves the bound, so two equal snapshots mean nothing was committed between them, in whatever
 * order they were taken. A rollback or a commit elsewhere changes it too: a new mark where none was needed
 * only costs the caller its check. It reads no table: half the server's work of reading a tenant's relay
 * versions (measured, one connection on loopback: 37-49 against 97-108 µs of PostgreSQL's CPU per call).
 * <p>
 * One query at a time, on a connection of its own, so a request never waits for the app's pool to take a mark:
 * callers that arrive while a query runs share the next one, which starts after they all arrived and so sees
 * every commit made before any of them asked. Under load a round serves several requests; on 4 connections of
 * their own, one query per request, requests spent 4.7 times as long waiting for a connection as the queries
 * took (BENCHMARKS.md, 2026-12-07 night). Each new snapshot text gets the next mark; a mark is never given to a
 * different text again.
 */
public final class PostgresCommitMarks implements CommitMarks {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCommitMarks.class);
    private static final String SNAPSHOT = "SELECT pg_current_snapshot()::text";

    private final ManagedDataSource source;
    private final String query;
    private String lastSnapshot;
    private long mark;
    /** Guards the rounds: the one callers join now, and whether a query is running. */
    private final Object rounds = new Object();
    private Round next = new Round();
    private boolean running;

    /** One query and the callers that share its answer. */
    private static final class Round {
        boolean done;
        OptionalLong mark = OptionalLong.empty();
    }

    /** {@code source}: a connection to the app's PostgreSQL database, used by nothing else. */
    public PostgresCommitMarks(ManagedDataSource source) {
        this(source, SNAPSHOT);
    }

    /** With the query that reads the snapshot in its first column (tests slow it down). */
    PostgresCommitMarks(ManagedDataSource source, String query) {
        this.source = source;
        this.query = query;
    }

    @Override
    public OptionalLong now() {
        Round round;
        synchronized (rounds) {
            round = next;
            try {
                if (!isToRun(round)) {
                    return round.mark;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OptionalLong.empty(); // no mark: the caller reads its rows
            }
        }
        OptionalLong taken = OptionalLong.empty();
        try {
            taken = snapshotMark();
        } finally {
            synchronized (rounds) {
                round.mark = taken;
                round.done = true;
                running = false;
                rounds.notifyAll(); // its callers return; one of the next round's starts it
            }
        }
        return taken;
    }

    /** Holding {@link #rounds}: waits until {@code round} is answered (false) or is this caller's to run (true). */
    private boolean isToRun(Round round) throws InterruptedException {
        while (!round.done) {
            if (!running && next == round) { // not started: this caller runs it for everyone in it
                running = true;
                next = new Round();
                return true;
            }
            rounds.wait();
        }
        return false;
    }

    private OptionalLong snapshotMark() {
        try (Connection connection = source.getConnection();
             PreparedStatement statement = connection.prepareStatement(query);
             ResultSet row = statement.executeQuery()) {
            row.next();
            return OptionalLong.of(mark(row.getString(1)));
        } catch (SQLException | RuntimeException e) {
            // no mark: callers read their rows, as without this class
            LOG.warn("pg_current_snapshot() failed; cached answers are checked against their rows: {}", e.getMessage());
            return OptionalLong.empty();
        }
    }

    /** The mark for a snapshot: the last one's while the text is the same, else the next. */
    synchronized long mark(String snapshot) {
        if (!snapshot.equals(lastSnapshot)) {
            lastSnapshot = snapshot;
            mark++;
        }
        return mark;
    }

    @Override
    public void start() throws Exception {
        source.start();
    }

    @Override
    public void stop() throws Exception {
        source.stop();
    }
}
