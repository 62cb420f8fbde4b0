package app.caravel.support;

import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip98;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Calls the API the way the original Caravel dashboard's client does: one session-style NIP-98 token per user
 * ({@code u} = the base URL, no {@code method} tag, no payload), signed once and sent on every call for ten
 * minutes, then signed anew; the original routes and field names are the caller's business.
 */
public final class DashboardClient {
    private static final Duration REUSE = Duration.ofMinutes(10);
    private final SignedClient http;
    private final String base;
    private final KeyPair user;
    private final Clock clock;
    private String token;
    private long signedAt;

    public DashboardClient(int port, KeyPair user, Clock clock) {
        this.http = new SignedClient(port, null);
        this.base = "http://127.0.0.1:" + port;
        this.user = user;
        this.clock = clock;
    }

    /** The token in use, as the dashboard keeps it. */
    public String token() {
        long now = clock.instant().getEpochSecond();
        if (token == null || now - signedAt >= REUSE.toSeconds()) {
            token = new Nip98(clock, 60).sessionHeader(user, base);
            signedAt = now;
        }
        return token;
    }

    public SignedClient.Reply get(String path) {
        return http.raw("GET", path, null, token(), null);
    }

    public SignedClient.Reply post(String path, String json) {
        return http.raw("POST", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), token(),
                json == null ? null : "application/json");
    }

    public SignedClient.Reply put(String path, String json) {
        return http.raw("PUT", path, json.getBytes(StandardCharsets.UTF_8), token(), "application/json");
    }

    /** The plans page: no token at all. */
    public SignedClient.Reply getUnsigned(String path) {
        return http.raw("GET", path, null, null, null);
    }
}
