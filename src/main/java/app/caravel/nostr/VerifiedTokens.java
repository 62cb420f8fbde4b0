package app.caravel.nostr;

import java.util.concurrent.ConcurrentHashMap;

/**
 * NIP-98 tokens whose event already decoded and passed its kind, id and signature checks, by the exact header
 * text. A dashboard sends one token on many calls (a session token for minutes, or a per-request one on
 * repeated reads); decoding and verifying it again (base64, JSON, two SHA-256s, a Schnorr verify: about 60 µs)
 * would give the same answer, as the answer depends on those bytes alone. What depends on the moment (the
 * created_at window) or the request (URL, method, payload, replays) is still checked on every use. Only
 * successes that can pass again are kept (a GET's or a session's token: a state-changing request's is used
 * once), so a bad token costs its full check each time, as before; at most {@code capacity}
 * tokens (a few MiB), forgotten all at once when full.
 */
final class VerifiedTokens {
    private final int capacity;
    private final ConcurrentHashMap<String, Event> events = new ConcurrentHashMap<>();

    VerifiedTokens(int capacity) {
        this.capacity = capacity;
    }

    Event get(String header) {
        return events.get(header);
    }

    void put(String header, Event event) {
        if (events.size() >= capacity) {
            events.clear();
        }
        events.put(header, event);
    }
}
