package app.caravel.nostr;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ../shared/vectors/bip340.csv is the 2019 draft of BIP-340 (R with a square y, "has_square_y" comments),
 * not the final BIP (R with an even y) that libsecp256k1, nostr-tools and every Nostr client implement.
 * So the test checks each row against what the final scheme must do with it:
 * - key derivation rows 0-3: the public key in the file (x-only keys are the same in both versions);
 * - signing rows 0-3: the final BIP-340 signature (bips/bip-0340/test-vectors.csv, rows 0-3, same keys,
 *   aux_rand and messages), and the file's draft signature refused;
 * - the FALSE rows: refused, as in both versions;
 * - row 4, a draft-only TRUE: refused under the final scheme.
 * The nostr-tools fixtures, signed by a real client, verify (NostrToolsFixturesTest), which pins the
 * final scheme from the other side.
 */
class Bip340Test {
    private static final Map<Integer, String> FINAL_SIGNATURES = Map.of(
            0, "e907831f80848d1069a5371b402410364bdf1c5f8307b0084c55f1ce2dca821525f66a4a85ea8b71e482a74f382d2ce5ebeee8fdb2172f477df4900d310536c0",
            1, "6896bd60eeae296db48a229ff71dfe071bde413e6d43f917dc8dcf8c78de33418906d11ac976abccb20b091292bff4ea897efcb639ea871cfa95f6de339e4b0a",
            2, "5831aaeed7b44bb74e5eab94ba9d4294c49bcf2a60728d8b4c200f50dd313c1bab745879a5ad954a72c45a91c3a51d3c7adea98d82f8481e0e1e03674a6f3fb7",
            3, "7eb0509757e246f19449885651611cb965ecc1a187dd51b64fda1edc9637d5ec97582b9cb13db3933705b32ba982af5af25fd78881ebb32771fc5922efc66ea3");

    @Test
    void theSharedFileIsTheDraftVersion() {
        List<String> rows = Vectors.lines("bip340.csv");
        assertEquals(16, rows.size(), "header + vectors 0-14");
        assertTrue(rows.stream().anyMatch(r -> r.contains("has_square_y")));
    }

    @TestFactory
    Stream<DynamicTest> everyRow() {
        return Vectors.lines("bip340.csv").stream().skip(1).map(line -> line.split(",", -1)).map(cols ->
                DynamicTest.dynamicTest("vector " + cols[0] + " " + cols[6] + " " + cols[7], () -> {
                    int index = Integer.parseInt(cols[0]);
                    byte[] pub = bytes(cols[2]);
                    byte[] msg = bytes(cols[4]);
                    byte[] draftSig = bytes(cols[5]);
                    if (!cols[1].isEmpty()) {
                        byte[] secret = bytes(cols[1]);
                        assertEquals(cols[2].toLowerCase(Locale.ROOT), Hex.encode(Crypto.xOnlyPublicKey(secret)));
                        byte[] sig = Crypto.signSchnorr(msg, secret, bytes(cols[3]));
                        assertEquals(FINAL_SIGNATURES.get(index), Hex.encode(sig));
                        assertTrue(Crypto.verifySchnorr(sig, msg, pub));
                    }
                    // Draft signatures never verify under the final scheme; the FALSE rows fail in both.
                    assertFalse(Crypto.verifySchnorr(draftSig, msg, pub));
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
