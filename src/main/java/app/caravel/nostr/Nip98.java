package app.caravel.nostr;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * NIP-98 HTTP auth: kind 27235 events carried as {@code Authorization: Nostr <base64 event>}.
 * {@link #header} signs our calls (to zooid); {@link #verify} checks the calls we receive and names the
 * rule that failed, so a client gets a precise 401. Two forms are read by one rule set:
 * <ul>
 *   <li>per-request (NIP-98 itself): a {@code method} tag, {@code u} = the full URL, created_at within the
 *   window either way, a {@code payload} tag for a body;</li>
 *   <li>session-style (the original Caravel frontend's, only when {@code sessionSeconds} > 0): no
 *   {@code method} tag, {@code u} = the public base URL exactly, created_at at most {@code sessionSeconds}
 *   old (and no more than the window ahead); reusable until then, so it is a bearer token for that long.</li>
 * </ul>
 */
public final class Nip98 {
    public static final int KIND = 27235;
    public static final String SCHEME = "Nostr ";

    /** Tokens kept verified; 2,048 of ~1 KiB each. */
    private static final int VERIFIED_TOKENS = 2048;

    private final Clock clock;
    private final long windowSeconds;
    private final long sessionSeconds;
    private final VerifiedTokens verified = new VerifiedTokens(VERIFIED_TOKENS);

    /** Per-request tokens only. */
    public Nip98(Clock clock, long windowSeconds) {
        this(clock, windowSeconds, 0);
    }

    public Nip98(Clock clock, long windowSeconds, long sessionSeconds) {
        this.clock = clock;
        this.windowSeconds = windowSeconds;
        this.sessionSeconds = sessionSeconds;
    }

    public enum Rule {
        MISSING, SCHEME, BASE64, NOT_EVENT, KIND, ID, SIGNATURE, CREATED_AT, URL, METHOD, PAYLOAD, SESSION
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
    public record Auth(String pubkey, Event event, boolean session) {
    }

    public String header(KeyPair keys, String url, String method, byte[] body) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("u", url));
        tags.add(List.of("method", method));
        if (body != null && body.length > 0) {
            tags.add(List.of("payload", Hex.encode(Crypto.sha256(body))));
        }
        return SCHEME + encode(Event.sign(keys, clock.instant().getEpochSecond(), KIND, tags, ""));
    }

    /** A session token as the original frontend makes one: {@code u} = the base URL, no method, no payload. */
    public String sessionHeader(KeyPair keys, String baseUrl) {
        return SCHEME + encode(Event.sign(keys, clock.instant().getEpochSecond(), KIND, List.of(List.of("u", baseUrl)), ""));
    }

    private static String encode(Event event) {
        return Base64.getEncoder().encodeToString(event.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Per-request verification only (sessions need the base URL). */
    public Auth verify(String header, String url, String method, byte[] body) throws Failure {
        return verify(header, null, url, method, body);
    }

    /**
     * @param baseUrl the public base URL a session token names; null where sessions cannot apply
     * @param url     the absolute URL the client called, query included
     * @param body    the raw body, empty or null when there is none
     */
    public Auth verify(String header, String baseUrl, String url, String method, byte[] body) throws Failure {
        Event event = header == null ? null : verified.get(header);
        if (event == null) {
            event = signedEvent(header);
            if (usableAgain(event)) {
                verified.put(header, event);
            }
        }
        List<String> us = event.tagValues("u");
        List<String> methods = event.tagValues("method");
        if (us.size() != 1) {
            throw new Failure(Rule.URL, "auth event must have exactly one u tag");
        }
        if (methods.size() > 1) {
            throw new Failure(Rule.METHOD, "auth event must have at most one method tag");
        }
        long now = clock.instant().getEpochSecond();
        if (methods.isEmpty() && baseUrl != null && baseUrl.equals(us.get(0))) {
            return session(event, now);
        }
        if (Math.abs(now - event.createdAt()) > windowSeconds) {
            throw new Failure(Rule.CREATED_AT, "auth event created_at is more than " + windowSeconds + "s from now");
        }
        if (!us.get(0).equals(url)) {
            throw new Failure(Rule.URL, "auth event u tag does not match the request URL");
        }
        if (methods.isEmpty() || !methods.get(0).equalsIgnoreCase(method)) {
            throw new Failure(Rule.METHOD, "auth event method tag does not match the request method");
        }
        checkPayload(event, body);
        return new Auth(event.pubkey(), event, false);
    }

    /**
     * Whether a token can pass again, so is worth keeping verified: a GET's or a session's. A token signed for a
     * state-changing method is used once (the replay rules refuse its second use), so kept it would only sit in
     * memory until the cache empties, seconds later: long enough, under a stream of POSTs, to be copied into the
     * old generation and fill it (a full collection of 100-160 ms every ~35 s at 700 POSTs/s).
     */
    private static boolean usableAgain(Event event) {
        for (String method : event.tagValues("method")) {
            if (!method.equalsIgnoreCase("GET") && !method.equalsIgnoreCase("HEAD")) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code header} is kept verified (for tests). */
    boolean keeps(String header) {
        return verified.get(header) != null;
    }

    private Auth session(Event event, long now) throws Failure {
        if (sessionSeconds <= 0) {
            throw new Failure(Rule.SESSION, "session tokens are off here: sign each request with u = its URL and "
                    + "a method tag");
        }
        if (now - event.createdAt() > sessionSeconds || event.createdAt() - now > windowSeconds) {
            throw new Failure(Rule.CREATED_AT, "session token created_at is more than " + sessionSeconds
                    + "s old or more than " + windowSeconds + "s ahead");
        }
        return new Auth(event.pubkey(), event, true);
    }

    /** The header's event, decoded strictly, of the right kind, with a valid id and signature. */
    private static Event signedEvent(String header) throws Failure {
        if (header == null || header.isBlank()) {
            throw new Failure(Rule.MISSING, "missing Authorization header");
        }
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase(SCHEME.trim())) {
            throw new Failure(Rule.SCHEME, "Authorization scheme must be Nostr");
        }
        String token = header.substring(space + 1).trim();
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
        if (!event.hasValidSignature()) {
            throw new Failure(Rule.SIGNATURE, "auth event signature is invalid");
        }
        return event;
    }

    private static void checkPayload(Event event, byte[] body) throws Failure {
        boolean hasBody = body != null && body.length > 0;
        List<String> payloads = event.tagValues("payload");
        if (payloads.size() > 1) {
            throw new Failure(Rule.PAYLOAD, "auth event must have at most one payload tag");
        }
        if (hasBody || !payloads.isEmpty()) {
            String expected = Hex.encode(Crypto.sha256(body == null ? new byte[0] : body));
            if (payloads.isEmpty()) {
                throw new Failure(Rule.PAYLOAD, "auth event needs a payload tag for a request with a body");
            }
            if (!payloads.get(0).equals(expected)) {
                throw new Failure(Rule.PAYLOAD, "auth event payload tag does not match the body's sha256");
            }
        }
    }
}
