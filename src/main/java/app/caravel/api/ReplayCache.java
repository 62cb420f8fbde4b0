package app.caravel.api;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.sql.SQLException;
import java.time.Clock;

/**
 * Remembers NIP-98 signatures used on state-changing requests for as long as their event could still pass
 * the created_at window, in the database: a header replayed to another server process is refused too.
 * Keyed on the signature: two honest events can share an id (same URL, same second, no nonce), but BIP-340
 * signing draws fresh randomness, so only an exact replay repeats a signature. The insert under the primary
 * key decides, so two processes offered one header at once accept it once. That key is (expires_at, signature):
 * the expiry follows from the signed created_at, so it is the signature's key still, and the sweep of expired
 * rows walks the same B-tree (one B-tree per claim to write, not three: migrations.xml, 16-replays-by-expiry).
 * <p>
 * The claim rides in the request's own write transaction: {@link #hold} marks the signature for the request's
 * thread and {@link #claimingIn} makes the first transaction the request opens insert it before anything else,
 * so the row and the write commit together or not at all (a replay that races its original finds the row and
 * is refused with nothing written). A request that commits no transaction (refused, or with nothing to change)
 * claims it on its own when its answer is decided ({@link #settle}). On SQLite this saves a write transaction
 * per state change: a fifth of the write lock's time under POST /relays (BENCHMARKS.md).
 */
public final class ReplayCache {
    /** Expired signatures are deleted at most this often per process (they can't pass the window anyway). */
    private static final long SWEEP_EVERY_SECONDS = 30;

    private final Jdbi jdbi;
    private final Clock clock;
    private final long windowSeconds;
    private final ThreadLocal<Claim> held = new ThreadLocal<>();
    private volatile long nextSweep;

    /** A signature the request on this thread is to claim; {@code committed} once a transaction of it has. */
    private static final class Claim {
        final String signature;
        final long expiry;
        boolean committed;

        Claim(String signature, long expiry) {
            this.signature = signature;
            this.expiry = expiry;
        }
    }

    public ReplayCache(Jdbi jdbi, Clock clock, long windowSeconds) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.windowSeconds = windowSeconds;
    }

    /**
     * Whether a state change already used this signature: a read, refused early without any write. The row is
     * found by its whole key: the expiry is the signed event's created_at plus the window, so one signature
     * always comes with one expiry.
     */
    public boolean seen(String signature, long eventCreatedAt) {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM nip98_replays "
                        + "WHERE expires_at = :expiry AND signature = :signature")
                .bind("expiry", expiryOf(eventCreatedAt)).bind("signature", signature)
                .mapTo(Integer.class).findOne().isPresent());
    }

    /** The request on this thread will claim {@code signature}: in its first transaction, else at {@link #settle}. */
    public void hold(String signature, long eventCreatedAt) {
        held.set(new Claim(signature, expiryOf(eventCreatedAt)));
    }

    /** The second after which the event can no longer pass the window, and its row may go. */
    private long expiryOf(long eventCreatedAt) {
        return eventCreatedAt + windowSeconds + 1;
    }

    /** Forgets whatever an earlier request on this thread held (a request that never reached its answer). */
    public void release() {
        held.remove();
    }

    /**
     * The request's answer is decided: its signature is claimed now if no transaction of it committed the
     * claim, so every later replay is refused. A replay that raced it here changed nothing, by construction.
     */
    public void settle() {
        Claim claim = held.get();
        held.remove();
        if (claim != null && !claim.committed) {
            jdbi.useTransaction(h -> insert(h, claim));
        }
    }

    private boolean insert(Handle h, Claim claim) {
        long now = clock.instant().getEpochSecond();
        if (now >= nextSweep) {
            nextSweep = now + SWEEP_EVERY_SECONDS;
            h.createUpdate("DELETE FROM nip98_replays WHERE expires_at < :now").bind("now", now).execute();
        }
        return h.createUpdate("INSERT INTO nip98_replays (signature, expires_at) VALUES (:signature, :expiry) "
                        + "ON CONFLICT DO NOTHING")
                .bind("signature", claim.signature).bind("expiry", claim.expiry).execute() == 1;
    }

    /** {@code delegate} with the held claim inserted first in each outermost transaction of a request. */
    public TransactionHandler claimingIn(TransactionHandler delegate) {
        return new Claiming(delegate);
    }

    private final class Claiming extends DelegatingTransactionHandler {
        Claiming(TransactionHandler delegate) {
            super(delegate);
        }

        @Override
        public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback) throws X {
            return claimFirst(handle, callback, body -> super.inTransaction(handle, body));
        }

        @Override
        public <R, X extends Exception> R inTransaction(Handle handle, TransactionIsolationLevel level,
                                                        HandleCallback<R, X> callback) throws X {
            return claimFirst(handle, callback, body -> super.inTransaction(handle, level, body));
        }

        /** Runs the transaction with the held claim inserted first, when this call opens the request's one. */
        private <R, X extends Exception> R claimFirst(Handle handle, HandleCallback<R, X> callback,
                                                      Opener<R, X> open) throws X {
            Claim claim = held.get();
            if (claim == null || claim.committed || isInTransaction(handle)) {
                return open.run(callback);
            }
            R result = open.run(h -> {
                if (!insert(h, claim)) {
                    throw ApiException.unauthorized("auth event already used: sign each request anew");
                }
                return callback.withHandle(h);
            });
            claim.committed = true;
            return result;
        }

        @Override
        public TransactionHandler specialize(Handle handle) throws SQLException {
            return new Claiming(getDelegate().specialize(handle));
        }
    }

    /** One of the delegate's two ways to open a transaction, given the body to run in it. */
    private interface Opener<R, X extends Exception> {
        R run(HandleCallback<R, X> body) throws X;
    }
}
