package app.caravel.nostr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every fixture nostr-tools made: reproduced where stable, accepted or refused as marked elsewhere. */
class NostrToolsFixturesTest {
    private static final HexFormat HEX = HexFormat.of();
    private final JsonNode f = Vectors.fixtures();
    private final ObjectMapper json = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> nip01() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : f.path("nip01")) {
            tests.add(DynamicTest.dynamicTest(c.path("name").asText(), () -> {
                Event event = Event.fromNode(c.path("event"));
                boolean valid = c.path("valid").asBoolean();
                if (c.has("serialized")) {
                    assertEquals(c.path("serialized").asText(), event.serialize());
                }
                if (c.path("event").has("sig")) {
                    assertEquals(valid, event.verify());
                } else {
                    assertNull(event.sig());
                    assertEquals(valid, event.hasValidId());
                }
                if (valid) {
                    assertEquals(c.path("event").path("id").asText(), event.computeId());
                    assertEquals(json.readTree(c.path("event").toString()), json.readTree(event.toJson()));
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void signedEventsVerifyAndTamperingBreaksThem() {
        KeyPair keys = Vectors.fixtureKey(0);
        Event event = Event.sign(keys, 1764000000L, 1, List.of(List.of("t", "x")), "line\u2028sep \u0001 \u007f");
        assertTrue(event.verify());
        assertTrue(Event.fromJson(event.toJson()).verify());
        assertFalse(new Event(event.id(), event.pubkey(), event.createdAt(), 1, event.tags(), "other", event.sig()).verify());
    }

    @TestFactory
    Stream<DynamicTest> nip98() {
        JsonNode section = f.path("nip98");
        Nip98 verifier = new Nip98(Clock.fixed(Instant.ofEpochSecond(section.path("now").asLong()), ZoneOffset.UTC),
                section.path("window_seconds").asLong());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : section.path("cases")) {
            tests.add(DynamicTest.dynamicTest(c.path("name").asText(), () -> {
                byte[] body = c.path("body").isNull() ? null : c.path("body").asText().getBytes(StandardCharsets.UTF_8);
                String header = c.path("header").asText();
                if (c.path("valid").asBoolean()) {
                    Nip98.Auth auth = verifier.verify(header, c.path("url").asText(), c.path("method").asText(), body);
                    assertEquals(c.path("pubkey").asText(), auth.pubkey());
                } else {
                    assertThrows(Nip98.Failure.class,
                            () -> verifier.verify(header, c.path("url").asText(), c.path("method").asText(), body),
                            c.path("reason").asText());
                }
            }));
        }
        assertEquals(30, tests.size());
        return tests.stream();
    }

    @Test
    void nip98HeadersWeMakeVerify() throws Exception {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1764000000L), ZoneOffset.UTC);
        Nip98 nip98 = new Nip98(clock, 60);
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String header = nip98.header(Vectors.fixtureKey(1), "http://zooid.test/relay/x", "POST", body);
        assertEquals(Vectors.fixtureKey(1).pubkey(), nip98.verify(header, "http://zooid.test/relay/x", "POST", body).pubkey());
        Nip98.Failure wrongBody = assertThrows(Nip98.Failure.class,
                () -> nip98.verify(header, "http://zooid.test/relay/x", "POST", "{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Nip98.Rule.PAYLOAD, wrongBody.rule());
        Nip98 later = new Nip98(Clock.offset(clock, java.time.Duration.ofSeconds(61)), 60);
        assertEquals(Nip98.Rule.CREATED_AT, assertThrows(Nip98.Failure.class,
                () -> later.verify(header, "http://zooid.test/relay/x", "POST", body)).rule());
    }

    @TestFactory
    Stream<DynamicTest> nip04() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : f.path("nip04")) {
            tests.add(DynamicTest.dynamicTest(c.path("name").asText(), () -> {
                byte[] senderSecret = HEX.parseHex(c.path("sender_secret").asText());
                byte[] recipientSecret = HEX.parseHex(c.path("recipient_secret").asText());
                byte[] senderPub = HEX.parseHex(c.path("sender_pubkey").asText());
                byte[] recipientPub = HEX.parseHex(c.path("recipient_pubkey").asText());
                String ciphertext = c.path("ciphertext").asText();
                if (c.path("deterministic").asBoolean()) {
                    byte[] shared = Crypto.sharedX(senderSecret, recipientPub);
                    assertEquals(c.path("shared_x").asText(), Hex.encode(shared));
                    assertEquals(ciphertext, Nip04.encryptWithIv(c.path("plaintext").asText(), shared,
                            HEX.parseHex(c.path("iv").asText())));
                }
                assertEquals(c.path("plaintext").asText(), Nip04.decrypt(ciphertext, recipientSecret, senderPub));
                assertEquals(c.path("plaintext").asText(), Nip04.decrypt(ciphertext, senderSecret, recipientPub));
            }));
        }
        return tests.stream();
    }

    @Test
    void nip44FixtureKeysGiveTheFixtureConversationKey() {
        for (JsonNode c : f.path("nip44")) {
            assertEquals(c.path("conversation_key").asText(), Hex.encode(Nip44.conversationKey(
                    HEX.parseHex(c.path("sender_secret").asText()), HEX.parseHex(c.path("recipient_pubkey").asText()))));
        }
    }

    @Test
    void nip17UnwrapsNostrToolsWraps() {
        JsonNode c = f.path("nip17");
        KeyPair recipient = KeyPair.fromSecretHex(c.path("recipient_secret").asText());
        Nip59.Unwrapped opened = Nip59.unwrap(Event.fromNode(c.path("gift_wrap")), recipient);
        JsonNode expected = c.path("expected");
        assertEquals(expected.path("kind").asInt(), opened.rumor().kind());
        assertEquals(expected.path("content").asText(), opened.rumor().content());
        assertEquals(expected.path("pubkey").asText(), opened.rumor().pubkey());
        assertEquals(expected.path("subject").asText(), opened.rumor().tagValue("subject").orElseThrow());
        assertEquals(Event.fromNode(c.path("seal")).id(), opened.seal().id());
        assertEquals(Event.fromNode(c.path("rumor")).id(), opened.rumor().id());

        assertEquals(1, c.path("more").size());
        for (JsonNode more : c.path("more")) {
            Event rumor = Nip17.open(Event.fromNode(more.path("gift_wrap")), recipient);
            assertEquals(more.path("expected").path("content").asText(), rumor.content());
            assertTrue(rumor.tagValue("subject").isEmpty());
        }

        KeyPair stranger = Vectors.fixtureKey(2);
        assertThrows(IllegalArgumentException.class, () -> Nip59.unwrap(Event.fromNode(c.path("gift_wrap")), stranger));
    }

    @Test
    void nip17WrapsThatTheFixturesProcedureOpens() {
        JsonNode c = f.path("nip17");
        KeyPair sender = KeyPair.fromSecretHex(c.path("sender_secret").asText());
        KeyPair recipient = KeyPair.fromSecretHex(c.path("recipient_secret").asText());
        long now = 1764000000L;
        Event wrap = new Nip17(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC))
                .wrap(sender, recipient.pubkey(), "Your relay is live ☃\nwss://x.example", "Caravel");
        assertEquals(1059, wrap.kind());
        assertEquals(List.of(recipient.pubkey()), wrap.tagValues("p"));
        assertTrue(wrap.createdAt() <= now && wrap.createdAt() > now - 2 * 86400);
        assertFalse(wrap.pubkey().equals(sender.pubkey()), "wrap signed by a one-off key");
        Event rumor = Nip17.open(Event.fromJson(wrap.toJson()), recipient);
        assertEquals("Your relay is live ☃\nwss://x.example", rumor.content());
        assertEquals(sender.pubkey(), rumor.pubkey());
        assertEquals(now, rumor.createdAt());
    }

    @TestFactory
    Stream<DynamicTest> nip47Uris() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : f.path("nip47").path("uris")) {
            tests.add(DynamicTest.dynamicTest(c.path("name").asText(), () -> {
                if (c.path("valid").asBoolean()) {
                    NwcUri uri = NwcUri.parse(c.path("uri").asText());
                    JsonNode e = c.path("expected");
                    assertEquals(e.path("wallet_pubkey").asText(), uri.walletPubkey());
                    List<String> relays = new ArrayList<>();
                    e.path("relays").forEach(r -> relays.add(r.asText()));
                    assertEquals(relays, uri.relays());
                    assertEquals(e.path("secret").asText(), uri.client().secretHex());
                    assertEquals(e.path("client_pubkey").asText(), uri.client().pubkey());
                    assertEquals(e.path("lud16").isNull() ? null : e.path("lud16").asText(), uri.lud16());
                    assertFalse(uri.toString().contains(uri.client().secretHex()));
                } else {
                    assertThrows(IllegalArgumentException.class, () -> NwcUri.parse(c.path("uri").asText()),
                            c.path("reason").asText());
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void nip47EncryptionNegotiation() {
        for (JsonNode c : f.path("nip47").path("info_events")) {
            Event info = Event.fromNode(c.path("event"));
            assertTrue(info.verify());
            assertEquals(c.path("client_should_use").asText(), Nip47.Encryption.choose(info).tag());
            List<String> supported = new ArrayList<>();
            c.path("supported_encryption").forEach(s -> supported.add(s.asText()));
            assertEquals(supported, Nip47.Encryption.supported(info).stream().map(Nip47.Encryption::tag).toList());
        }
    }

    @TestFactory
    Stream<DynamicTest> nip47RequestsAndResponses() {
        JsonNode n = f.path("nip47");
        KeyPair wallet = KeyPair.fromSecretHex(n.path("wallet_secret").asText());
        NwcUri uri = NwcUri.parse(n.path("uri").asText());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : n.path("requests")) {
            tests.add(DynamicTest.dynamicTest("request " + c.path("name").asText(), () -> {
                Event event = Event.fromNode(c.path("event"));
                assertTrue(event.verify());
                assertEquals(json.readTree(c.path("plaintext").toString()), Nip47.readRequest(event, wallet));
            }));
        }
        for (JsonNode c : n.path("responses")) {
            tests.add(DynamicTest.dynamicTest("response " + c.path("name").asText(), () -> {
                Nip47.Encryption enc = c.path("encryption").asText().equals("nip44_v2")
                        ? Nip47.Encryption.NIP44_V2 : Nip47.Encryption.NIP04;
                Nip47.Response response = Nip47.readResponse(Event.fromNode(c.path("event")), uri, enc);
                JsonNode plain = c.path("plaintext");
                assertEquals(plain.path("result_type").asText(), response.resultType());
                assertEquals(c.path("answers").asText(), response.requestId());
                if (plain.path("error").isObject()) {
                    assertEquals(plain.path("error").path("code").asText(), response.error().code().name());
                } else {
                    assertTrue(response.ok());
                    assertEquals(plain.path("result"), response.result());
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void nip47RequestsWeBuildAreReadByTheWallet() {
        JsonNode n = f.path("nip47");
        KeyPair wallet = KeyPair.fromSecretHex(n.path("wallet_secret").asText());
        NwcUri uri = NwcUri.parse(n.path("uri").asText());
        for (Nip47.Encryption enc : Nip47.Encryption.values()) {
            var params = Nip47.params().put("amount", 10_000_000L).put("description", "Caravel 2025-11");
            Event request = Nip47.request(uri, enc, "make_invoice", params, 1764000000L);
            assertEquals(uri.walletPubkey(), request.tagValue("p").orElseThrow());
            assertEquals(enc == Nip47.Encryption.NIP44_V2, request.tagValue("encryption").isPresent());
            JsonNode read = Nip47.readRequest(request, wallet);
            assertEquals("make_invoice", read.path("method").asText());
            assertEquals(10_000_000L, read.path("params").path("amount").asLong());
        }
    }
}
