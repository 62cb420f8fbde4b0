package app.caravel.api;

import org.jdbi.v3.core.Jdbi;

import java.time.Clock;

/**
 * Remembers NIP-98 signatures seen on state-changing requests for as long as their event could still pass
 * the created_at window, in the database: a header replayed to another server process is refused too.
 * Keyed on the signature: two honest events can share an id (same URL, same second, no nonce), but BIP-340
 * signing draws fresh randomness, so only an exact replay repeats a signature. The insert under the primary
 * key decides, so two processes offered one header at once accept it once.
 */
public final class ReplayCache {
    /** Expired signatures are deleted at most this often per process (they can't pass the window anyway). */
    private static final long SWEEP_EVERY_SECONDS = 30;

    private final Jdbi jdbi;
    private final Clock clock;
    private final long windowSeconds;
    private volatile long nextSweep;

    public ReplayCache(Jdbi jdbi, Clock clock, long windowSeconds) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.windowSeconds = windowSeconds;
    }

    /** True the first time a signature is offered; false for every replay while it could still be valid. */
    public boolean firstUse(String signature, long eventCreatedAt) {
        long now = clock.instant().getEpochSecond();
        long expiry = eventCreatedAt + windowSeconds + 1;
        // a transaction, so that on SQLite it takes its turn in the write gate instead of SQLite's busy sleeps
        return jdbi.inTransaction(h -> {
            sweep(h, now);
            return h.createUpdate("INSERT INTO nip98_replays (signature, expires_at) VALUES (:signature, :expiry) "
                            + "ON CONFLICT DO NOTHING")
                    .bind("signature", signature).bind("expiry", expiry).execute() == 1;
        });
    }

    private void sweep(org.jdbi.v3.core.Handle h, long now) {
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + SWEEP_EVERY_SECONDS;
        h.createUpdate("DELETE FROM nip98_replays WHERE expires_at < :now").bind("now", now).execute();
    }
}
