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

/** Behind a proxy: PUBLIC_URL is the one URL a NIP-98 u tag must name; request headers cannot change it. */
@ExtendWith(DropwizardExtensionsSupport.class)
class PublicUrlTest {
    private static final int PORT = Ports.free();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT,
            Map.of("public_url", "https://api.example.com/"));
    private final Nip98 nip98 = new Nip98(Clock.systemUTC(), 60);
    private final KeyPair keys = KeyPair.generate();
    private final SignedClient client = new SignedClient(PORT, keys);

    @Test
    void aTokenForThePublicUrlIsAcceptedWhateverHostTheRequestReached() {
        SignedClient.Reply reply = client.raw("GET", "/identity?x=1", null,
                nip98.header(keys, "https://api.example.com/identity?x=1", "GET", null), null);
        assertEquals(200, reply.status(), reply.body());
        assertEquals(keys.pubkey(), reply.data().path("pubkey").asText());
    }

    @Test
    void aTokenForTheBindAddressOrAForwardedHostIsRefused() {
        SignedClient.Reply direct = client.get("/identity"); // signed for http://127.0.0.1:PORT
        assertEquals(401, direct.status());
        assertEquals("unauthorized", direct.code());
        SignedClient.Reply forwarded = client.raw("GET", "/identity", null,
                nip98.header(keys, "https://evil.example/identity", "GET", null), null,
                Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example"));
        assertEquals(401, forwarded.status(), "forwarded headers are not trusted: PUBLIC_URL is");
    }
}
