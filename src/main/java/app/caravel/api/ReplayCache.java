package app.caravel.api;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers NIP-98 signatures seen on state-changing requests for as long as their event could still pass
 * the created_at window. Keyed on the signature: two honest events can share an id (same URL, same second,
 * no nonce), but BIP-340 signing draws fresh randomness, so only an exact replay repeats a signature.
 */
public final class ReplayCache {
    private final Clock clock;
    private final long windowSeconds;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private volatile long nextSweep;

    public ReplayCache(Clock clock, long windowSeconds) {
        this.clock = clock;
        this.windowSeconds = windowSeconds;
    }

    /** True the first time a signature is offered; false for every replay while it could still be valid. */
    public boolean firstUse(String signature, long eventCreatedAt) {
        long now = clock.instant().getEpochSecond();
        sweep(now);
        long expiry = eventCreatedAt + windowSeconds + 1;
        return seen.putIfAbsent(signature, expiry) == null;
    }

    private void sweep(long now) {
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + 10;
        seen.values().removeIf(expiry -> expiry < now);
    }
}
