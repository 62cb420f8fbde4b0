package app.caravel.nostr;

import app.caravel.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A token is decoded and its signature verified once per verifier; everything that depends on the moment or
 * the request is judged again on every use, and a token differing by one byte is a different token.
 */
class Nip98VerifiedTokensTest {
    private static final String URL = "https://api.example.com/relays";

    @Test
    void aTokenSeenBeforeIsStillJudgedOnItsWindowUrlMethodAndPayloadEachTime() throws Exception {
        MutableClock clock = new MutableClock(1_764_000_000L);
        Nip98 verifier = new Nip98(clock, 60);
        KeyPair keys = KeyPair.generate();
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String header = verifier.header(keys, URL, "POST", body);

        assertEquals(keys.pubkey(), verifier.verify(header, URL, "POST", body).pubkey());
        assertEquals(keys.pubkey(), verifier.verify(header, URL, "POST", body).pubkey(), "the second use passes too");
        assertEquals(Nip98.Rule.URL, failure(verifier, header, URL + "/x", "POST", body));
        assertEquals(Nip98.Rule.METHOD, failure(verifier, header, URL, "PUT", body));
        assertEquals(Nip98.Rule.PAYLOAD, failure(verifier, header, URL, "POST", "{}".getBytes(StandardCharsets.UTF_8)));
        clock.advance(Duration.ofSeconds(61));
        assertEquals(Nip98.Rule.CREATED_AT, failure(verifier, header, URL, "POST", body), "the window moves on");
    }

    @Test
    void aTamperedCopyOfAVerifiedTokenIsCheckedInFull() throws Exception {
        MutableClock clock = new MutableClock(1_764_000_000L);
        Nip98 verifier = new Nip98(clock, 60);
        KeyPair keys = KeyPair.generate();
        String header = verifier.header(keys, URL, "GET", null);
        verifier.verify(header, URL, "GET", null);

        Event event = Event.fromJson(new String(Base64.getDecoder().decode(header.substring(Nip98.SCHEME.length())),
                StandardCharsets.UTF_8));
        char last = event.sig().charAt(127);
        String badSig = event.sig().substring(0, 127) + (last == '0' ? '1' : '0');
        Event forged = new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content(), badSig);
        String forgedHeader = Nip98.SCHEME + Base64.getEncoder().encodeToString(forged.toJson().getBytes(StandardCharsets.UTF_8));
        assertEquals(Nip98.Rule.SIGNATURE, failure(verifier, forgedHeader, URL, "GET", null));
        assertEquals(Nip98.Rule.SIGNATURE, failure(verifier, forgedHeader, URL, "GET", null), "failures are not kept");
    }

    @Test
    void onlyTokensThatCanPassAgainAreKept() throws Exception {
        MutableClock clock = new MutableClock(1_764_000_000L);
        Nip98 verifier = new Nip98(clock, 60, 3600);
        KeyPair keys = KeyPair.generate();
        String get = verifier.header(keys, URL, "GET", null);
        String session = verifier.sessionHeader(keys, "https://api.example.com");
        verifier.verify(get, URL, "GET", null);
        verifier.verify(session, "https://api.example.com", URL, "POST", new byte[0]);
        assertTrue(verifier.keeps(get), "a GET token is sent again on repeated reads");
        assertTrue(verifier.keeps(session), "a session token is sent on every call for minutes");
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        for (String method : new String[]{"POST", "PUT", "PATCH", "DELETE"}) {
            String once = verifier.header(keys, URL, method, body);
            assertEquals(keys.pubkey(), verifier.verify(once, URL, method, body).pubkey());
            assertFalse(verifier.keeps(once), method + ": used once (the replay rules refuse it again), so not kept");
        }
    }

    private static Nip98.Rule failure(Nip98 verifier, String header, String url, String method, byte[] body) {
        return assertThrows(Nip98.Failure.class, () -> verifier.verify(header, url, method, body)).rule();
    }
}
