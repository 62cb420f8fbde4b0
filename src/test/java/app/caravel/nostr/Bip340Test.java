package app.caravel.nostr;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official BIP-340 vectors (the final BIP: even-y R), every row compared directly: a row with a secret key
 * derives its public key and signs to its signature byte for byte; every row verifies to its stated result.
 */
class Bip340Test {
    @Test
    void theFileIsTheFinalBip() {
        List<String> rows = Vectors.lines("bip340.csv");
        assertEquals(16, rows.size(), "header + vectors 0-14");
        assertTrue(rows.stream().anyMatch(r -> r.contains("has_even_y")));
        assertFalse(rows.stream().anyMatch(r -> r.contains("has_square_y")));
    }

    @TestFactory
    Stream<DynamicTest> everyRow() {
        return Vectors.lines("bip340.csv").stream().skip(1).map(line -> line.split(",", -1)).map(cols ->
                DynamicTest.dynamicTest("vector " + cols[0] + " " + cols[6] + " " + cols[7], () -> {
                    byte[] pub = bytes(cols[2]);
                    byte[] msg = bytes(cols[4]);
                    byte[] sig = bytes(cols[5]);
                    if (!cols[1].isEmpty()) {
                        byte[] secret = bytes(cols[1]);
                        assertEquals(cols[2].toLowerCase(Locale.ROOT), Hex.encode(Crypto.xOnlyPublicKey(secret)));
                        assertEquals(cols[5].toLowerCase(Locale.ROOT), Hex.encode(Crypto.signSchnorr(msg, secret, bytes(cols[3]))));
                    }
                    boolean expected = switch (cols[6]) {
                        case "TRUE" -> true;
                        case "FALSE" -> false;
                        default -> throw new AssertionError("verification result neither TRUE nor FALSE: " + cols[6]);
                    };
                    assertEquals(expected, Crypto.verifySchnorr(sig, msg, pub));
                }));
    }

    @Test
    void fixtureKeysDeriveTheirPubkeysAndBech32Forms() {
        for (var key : Vectors.fixtures().path("keys")) {
            KeyPair pair = KeyPair.fromSecretHex(key.path("secret").asText());
            assertEquals(key.path("pubkey").asText(), pair.pubkey());
            assertEquals(key.path("npub").asText(), Bech32.encode("npub", pair.pubkeyBytes()));
            assertEquals(key.path("nsec").asText(), Bech32.encode("nsec", pair.secret()));
            assertEquals(pair.pubkey(), Bech32.pubkeyHex(key.path("npub").asText()));
            assertEquals(pair.secretHex(), Hex.encode(Bech32.decode("nsec", key.path("nsec").asText())));
            assertFalse(pair.toString().contains(pair.secretHex()), "secret never printed");
        }
    }

    private static byte[] bytes(String upperHex) {
        return HexFormat.of().parseHex(upperHex);
    }
}
