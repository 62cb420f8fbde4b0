package app.caravel.api;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip98;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Behind a proxy the operator opts in to X-Forwarded-*; the URL a client signed is then the public one. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ForwardedHeadersTest {
    private static final int PORT = Ports.free();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT,
            Map.of("trust_forwarded_headers", "true"));
    private final KeyPair keys = KeyPair.generate();
    private final SignedClient client = new SignedClient(PORT, keys);
    private final Nip98 nip98 = new Nip98(Clock.systemUTC(), 60);

    @Test
    void thePublicUrlIsAcceptedWhenTheProxySaysSo() {
        String header = nip98.header(keys, "https://api.example.com/identity", "GET", null);
        SignedClient.Reply reply = client.raw("GET", "/identity", null, header, null,
                Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example.com"));
        assertEquals(200, reply.status(), reply.body());
        assertEquals(keys.pubkey(), reply.json().path("pubkey").asText());
    }

    @Test
    void aUrlForAnotherPublicHostIsRefused() {
        String header = nip98.header(keys, "https://api.example.com/identity", "GET", null);
        SignedClient.Reply reply = client.raw("GET", "/identity", null, header, null,
                Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "other.example.com"));
        assertEquals(401, reply.status());
    }

    @Test
    void withoutForwardedHeadersTheHostHeaderIsUsed() {
        assertEquals(200, client.get("/identity").status());
    }
}
