package app.caravel.nostr;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Nip44Test {
    private static final HexFormat HEX = HexFormat.of();
    private final JsonNode v2 = Vectors.json("nip44.vectors.json").path("v2");

    @Test
    void vectorFileIsTheOfficialOne() throws Exception {
        byte[] file = Vectors.bytes("nip44.vectors.json");
        assertEquals("269ed0f69e4c192512cc779e78c555090cebc7c785b609e338a62afc3ce25040", Hex.encode(Crypto.sha256(file)));
    }

    @TestFactory
    Stream<DynamicTest> validVectors() {
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode valid = v2.path("valid");
        for (JsonNode c : valid.path("get_conversation_key")) {
            tests.add(DynamicTest.dynamicTest("conversation key " + c.path("conversation_key").asText(), () ->
                    assertEquals(c.path("conversation_key").asText(), Hex.encode(Nip44.conversationKey(
                            HEX.parseHex(c.path("sec1").asText()), HEX.parseHex(c.path("pub2").asText()))))));
        }
        JsonNode mk = valid.path("get_message_keys");
        for (JsonNode k : mk.path("keys")) {
            tests.add(DynamicTest.dynamicTest("message keys " + k.path("nonce").asText(), () -> {
                Nip44.MessageKeys keys = Nip44.messageKeys(HEX.parseHex(mk.path("conversation_key").asText()),
                        HEX.parseHex(k.path("nonce").asText()));
                assertEquals(k.path("chacha_key").asText(), Hex.encode(keys.chachaKey()));
                assertEquals(k.path("chacha_nonce").asText(), Hex.encode(keys.chachaNonce()));
                assertEquals(k.path("hmac_key").asText(), Hex.encode(keys.hmacKey()));
            }));
        }
        for (JsonNode p : valid.path("calc_padded_len")) {
            tests.add(DynamicTest.dynamicTest("padded length " + p.get(0).asInt(), () ->
                    assertEquals(p.get(1).asInt(), Nip44.paddedLength(p.get(0).asInt()))));
        }
        for (JsonNode c : valid.path("encrypt_decrypt")) {
            tests.add(DynamicTest.dynamicTest("encrypt/decrypt " + c.path("nonce").asText(), () -> {
                byte[] sec1 = HEX.parseHex(c.path("sec1").asText());
                byte[] sec2 = HEX.parseHex(c.path("sec2").asText());
                byte[] key = Nip44.conversationKey(sec1, Crypto.xOnlyPublicKey(sec2));
                assertEquals(c.path("conversation_key").asText(), Hex.encode(key));
                assertArrayEquals(key, Nip44.conversationKey(sec2, Crypto.xOnlyPublicKey(sec1)));
                String payload = Nip44.encrypt(c.path("plaintext").asText(), key, HEX.parseHex(c.path("nonce").asText()));
                assertEquals(c.path("payload").asText(), payload);
                assertEquals(c.path("plaintext").asText(), Nip44.decrypt(payload, key));
            }));
        }
        for (JsonNode c : valid.path("encrypt_decrypt_long_msg")) {
            tests.add(DynamicTest.dynamicTest("long message " + c.path("repeat").asInt(), () -> {
                String plaintext = c.path("pattern").asText().repeat(c.path("repeat").asInt());
                assertEquals(c.path("plaintext_sha256").asText(),
                        Hex.encode(Crypto.sha256(plaintext.getBytes(StandardCharsets.UTF_8))));
                byte[] key = HEX.parseHex(c.path("conversation_key").asText());
                String payload = Nip44.encrypt(plaintext, key, HEX.parseHex(c.path("nonce").asText()));
                assertEquals(c.path("payload_sha256").asText(),
                        Hex.encode(Crypto.sha256(payload.getBytes(StandardCharsets.UTF_8))));
                assertEquals(plaintext, Nip44.decrypt(payload, key));
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> invalidVectors() {
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode invalid = v2.path("invalid");
        for (JsonNode len : invalid.path("encrypt_msg_lengths")) {
            tests.add(DynamicTest.dynamicTest("refuses plaintext of " + len.asInt() + " bytes", () ->
                    assertThrows(IllegalArgumentException.class,
                            () -> Nip44.encrypt("a".repeat(len.asInt()), new byte[32], new byte[32]))));
        }
        for (JsonNode c : invalid.path("get_conversation_key")) {
            tests.add(DynamicTest.dynamicTest("refuses key pair: " + c.path("note").asText(), () ->
                    assertThrows(IllegalArgumentException.class, () -> Nip44.conversationKey(
                            HEX.parseHex(c.path("sec1").asText()), HEX.parseHex(c.path("pub2").asText())))));
        }
        for (JsonNode c : invalid.path("decrypt")) {
            tests.add(DynamicTest.dynamicTest("refuses payload: " + c.path("note").asText(), () ->
                    assertThrows(IllegalArgumentException.class, () -> Nip44.decrypt(c.path("payload").asText(),
                            HEX.parseHex(c.path("conversation_key").asText())))));
        }
        assertEquals(true, tests.size() > 20);
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> nostrToolsFixtures() {
        JsonNode f = Vectors.fixtures();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : f.path("nip44")) {
            tests.add(DynamicTest.dynamicTest("nostr-tools nip44 " + c.path("nonce").asText(), () -> {
                byte[] key = HEX.parseHex(c.path("conversation_key").asText());
                assertEquals(c.path("payload").asText(),
                        Nip44.encrypt(c.path("plaintext").asText(), key, HEX.parseHex(c.path("nonce").asText())));
                assertEquals(c.path("plaintext").asText(), Nip44.decrypt(c.path("payload").asText(), key));
            }));
        }
        for (JsonNode c : f.path("nip44_invalid")) {
            tests.add(DynamicTest.dynamicTest("nostr-tools refuses: " + c.path("reason").asText(), () ->
                    assertThrows(IllegalArgumentException.class, () -> Nip44.decrypt(c.path("payload").asText(),
                            HEX.parseHex(c.path("conversation_key").asText())))));
        }
        return tests.stream();
    }
}
