package app.caravel.api;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tenant cannot make the service connect to private addresses (as production runs) nor to its own ports. */
@ExtendWith(DropwizardExtensionsSupport.class)
class TenantRelayAddressTest {
    private static final int STRICT_PORT = Ports.free();
    static final DropwizardAppExtension<CaravelConfiguration> STRICT = TestApps.app(STRICT_PORT,
            Map.of("allow_private_relays", "false"));
    private static final String WALLET = "f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9";

    private static String nwc(String relay) {
        return "{\"nwc_url\":\"nostr+walletconnect://" + WALLET + "?relay=" + java.net.URLEncoder.encode(relay,
                java.nio.charset.StandardCharsets.UTF_8) + "&secret=" + KeyPair.generate().secretHex() + "\"}";
    }

    @Test
    void aTenantCannotPointTheServiceAtItsOwnAdminPort() {
        KeyPair tenant = KeyPair.generate();
        SignedClient client = new SignedClient(STRICT_PORT, tenant);
        client.post("/tenants", null);
        SignedClient.Reply reply = client.put("/tenants/" + tenant.pubkey() + "/billing",
                nwc("ws://127.0.0.1:" + STRICT.getAdminPort()));
        assertEquals(422, reply.status(), reply.body());
        assertTrue(reply.error().contains("own port"), reply.body());
    }

    @Test
    void withPrivateAddressesRefusedATenantsWalletRelayMustBePublic() {
        KeyPair tenant = KeyPair.generate();
        SignedClient client = new SignedClient(STRICT_PORT, tenant);
        client.post("/tenants", null);
        for (String relay : new String[]{"ws://127.0.0.1:7777", "ws://localhost:7777", "wss://10.1.2.3",
                "ws://169.254.169.254", "ws://[::1]:7777"}) {
            SignedClient.Reply reply = client.put("/tenants/" + tenant.pubkey() + "/billing", nwc(relay));
            assertEquals(422, reply.status(), relay + " " + reply.body());
        }
        assertEquals(200, client.put("/tenants/" + tenant.pubkey() + "/billing", nwc("wss://relay.example.com")).status());
    }
}
