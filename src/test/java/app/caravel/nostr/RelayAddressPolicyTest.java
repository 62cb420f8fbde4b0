package app.caravel.nostr;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayAddressPolicyTest {
    private final RelayAddressPolicy strict = new RelayAddressPolicy(Set.of("ws://127.0.0.1:7000"), false);

    @ParameterizedTest
    @ValueSource(strings = {"ws://127.0.0.1:7777", "ws://localhost:7777", "wss://10.0.0.5", "ws://192.168.1.1",
            "ws://172.16.3.4", "ws://169.254.169.254", "ws://[::1]:7777", "ws://[fd00::1]", "ws://[fe80::1]",
            "ws://100.64.0.1", "ws://0.0.0.0:7777", "ws://sub.localhost"})
    void aTenantsRelayOnAPrivateAddressIsRefused(String url) {
        assertTrue(strict.refusalWithoutLookup(url).isPresent(), url);
        assertThrows(IllegalArgumentException.class, () -> strict.check(url));
    }

    @Test
    void publicAddressesAndNamesPassTheCheckThatNeedsNoLookup() {
        assertEquals(java.util.Optional.empty(), strict.refusalWithoutLookup("wss://relay.example.com"));
        assertEquals(java.util.Optional.empty(), strict.refusalWithoutLookup("wss://203.0.113.7:443"));
        assertDoesNotThrow(() -> strict.check("wss://203.0.113.7"));
    }

    @Test
    void aNameIsJudgedByWhatItResolvesTo() {
        assertTrue(strict.refusalWithoutLookup("ws://relay.test").isEmpty(), "no lookup in the API path");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> strict.check("ws://relay.test"));
        assertTrue(unknown.getMessage().contains("does not resolve"), unknown.getMessage());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> strict.check("ws://localhost:7777"));
        assertTrue(refused.getMessage().contains("private"), refused.getMessage());
    }

    @Test
    void operatorRelaysAreTrusted() {
        assertDoesNotThrow(() -> strict.check("ws://127.0.0.1:7000"));
    }

    @Test
    void withPrivateAddressesAllowedTheServicesOwnPortsStayRefused() {
        RelayAddressPolicy dev = new RelayAddressPolicy(Set.of(), true);
        dev.addOwnPort(8081);
        assertTrue(dev.refusalWithoutLookup("ws://127.0.0.1:7777").isEmpty());
        assertDoesNotThrow(() -> dev.check("ws://127.0.0.1:7777"));
        for (String own : new String[]{"ws://127.0.0.1:8081", "ws://localhost:8081", "ws://[::1]:8081", "ws://0.0.0.0:8081"}) {
            assertTrue(dev.refusalWithoutLookup(own).orElse("").contains("own port"), own);
            assertThrows(IllegalArgumentException.class, () -> dev.check(own), own);
        }
        assertFalse(dev.refusalWithoutLookup("ws://127.0.0.1:8082").isPresent());
    }

    @Test
    void onlyWebsocketUrlsWithAHost() {
        assertTrue(strict.refusalWithoutLookup("http://relay.example.com").isPresent());
        assertTrue(strict.refusalWithoutLookup("ws:///nohost").isPresent());
    }
}
