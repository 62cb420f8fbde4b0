package app.caravel.nostr;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * NIP-98 HTTP auth: kind 27235 events carried as {@code Authorization: Nostr <base64 event>}.
 * {@link #header} signs our calls (to zooid); {@link #verify} checks the calls we receive and names the
 * rule that failed, so a client gets a precise 401.
 */
public final class Nip98 {
    public static final int KIND = 27235;
    public static final String SCHEME = "Nostr ";

    private final Clock clock;
    private final long windowSeconds;

    public Nip98(Clock clock, long windowSeconds) {
        this.clock = clock;
        this.windowSeconds = windowSeconds;
    }

    public enum Rule {
        MISSING, SCHEME, BASE64, NOT_EVENT, KIND, ID, SIGNATURE, CREATED_AT, URL, METHOD, PAYLOAD
    }

    public static final class Failure extends Exception {
        private final Rule rule;

        public Failure(Rule rule, String message) {
            super(message);
            this.rule = rule;
        }

        public Rule rule() {
            return rule;
        }
    }

    /** The authenticated caller and the event that proved it (its sig keys the replay cache). */
    public record Auth(String pubkey, Event event) {
    }

    public String header(KeyPair keys, String url, String method, byte[] body) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("u", url));
        tags.add(List.of("method", method));
        if (body != null && body.length > 0) {
            tags.add(List.of("payload", Hex.encode(Crypto.sha256(body))));
        }
        Event event = Event.sign(keys, clock.instant().getEpochSecond(), KIND, tags, "");
        return SCHEME + Base64.getEncoder().encodeToString(event.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param url    the absolute URL the client called, query included
     * @param body   the raw body, empty or null when there is none
     */
    public Auth verify(String header, String url, String method, byte[] body) throws Failure {
        if (header == null || header.isBlank()) {
            throw new Failure(Rule.MISSING, "missing Authorization header");
        }
        if (!header.startsWith(SCHEME)) {
            throw new Failure(Rule.SCHEME, "Authorization scheme must be Nostr");
        }
        String token = header.substring(SCHEME.length()).trim();
        if (token.isEmpty()) {
            throw new Failure(Rule.BASE64, "empty Nostr token");
        }
        String json;
        try {
            json = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Failure(Rule.BASE64, "Nostr token is not base64");
        }
        Event event;
        try {
            event = Event.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new Failure(Rule.NOT_EVENT, "Nostr token is not an event: " + e.getMessage());
        }
        if (event.kind() != KIND) {
            throw new Failure(Rule.KIND, "auth event kind must be 27235");
        }
        if (!event.hasValidId()) {
            throw new Failure(Rule.ID, "auth event id does not match its content");
        }
        if (!event.verify()) {
            throw new Failure(Rule.SIGNATURE, "auth event signature is invalid");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - event.createdAt()) > windowSeconds) {
            throw new Failure(Rule.CREATED_AT, "auth event created_at is more than " + windowSeconds + "s from now");
        }
        if (!event.tagValue("u").map(url::equals).orElse(false)) {
            throw new Failure(Rule.URL, "auth event u tag does not match the request URL");
        }
        if (!event.tagValue("method").map(method::equalsIgnoreCase).orElse(false)) {
            throw new Failure(Rule.METHOD, "auth event method tag does not match the request method");
        }
        boolean hasBody = body != null && body.length > 0;
        var payload = event.tagValue("payload");
        if (hasBody || payload.isPresent()) {
            String expected = Hex.encode(Crypto.sha256(body == null ? new byte[0] : body));
            if (payload.isEmpty()) {
                throw new Failure(Rule.PAYLOAD, "auth event needs a payload tag for a request with a body");
            }
            if (!payload.get().equals(expected)) {
                throw new Failure(Rule.PAYLOAD, "auth event payload tag does not match the body's sha256");
            }
        }
        return new Auth(event.pubkey(), event);
    }
}
