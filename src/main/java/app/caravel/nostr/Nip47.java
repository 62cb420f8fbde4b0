package app.caravel.nostr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * NIP-47 (Nostr Wallet Connect) messages: kind 23194 requests from us, kind 23195 responses from the
 * wallet, the kind 13194 info event that announces the encryption the wallet speaks.
 */
public final class Nip47 {
    public static final int INFO = 13194;
    public static final int REQUEST = 23194;
    public static final int RESPONSE = 23195;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Nip47() {
    }

    public enum Encryption {
        NIP44_V2("nip44_v2"), NIP04("nip04");

        private final String tag;

        Encryption(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }

        /** nip44_v2 when the wallet offers it; a wallet with no encryption tag speaks only nip04. */
        public static Encryption choose(Event info) {
            return supported(info).contains(NIP44_V2) ? NIP44_V2 : NIP04;
        }

        public static List<Encryption> supported(Event info) {
            Optional<String> tag = info.tagValue("encryption");
            if (tag.isEmpty()) {
                return List.of(NIP04);
            }
            List<Encryption> out = new ArrayList<>();
            for (String name : tag.get().trim().split("\\s+")) {
                Arrays.stream(values()).filter(e -> e.tag.equals(name)).findFirst().ifPresent(out::add);
            }
            return out;
        }

        public String encrypt(String plaintext, KeyPair self, String peer) {
            return this == NIP44_V2
                    ? Nip44.encrypt(plaintext, Nip44.conversationKey(self, peer))
                    : Nip04.encrypt(plaintext, self.secret(), Hex.decode(peer, 32));
        }

        public String decrypt(String payload, KeyPair self, String peer) {
            return this == NIP44_V2
                    ? Nip44.decrypt(payload, Nip44.conversationKey(self, peer))
                    : Nip04.decrypt(payload, self.secret(), Hex.decode(peer, 32));
        }
    }

    /** The wallet error codes of NIP-47; anything else a wallet sends reads as OTHER. */
    public enum ErrorCode {
        RATE_LIMITED, NOT_IMPLEMENTED, INSUFFICIENT_BALANCE, QUOTA_EXCEEDED, RESTRICTED, UNAUTHORIZED, INTERNAL,
        OTHER, PAYMENT_FAILED, NOT_FOUND, UNSUPPORTED_ENCRYPTION;

        public static ErrorCode of(String code) {
            return Arrays.stream(values()).filter(c -> c.name().equals(code)).findFirst().orElse(OTHER);
        }
    }

    public record Error(ErrorCode code, String message) {
    }

    /** A decrypted wallet answer: either {@code result} or {@code error} is set. */
    public record Response(String resultType, JsonNode result, Error error, String requestId) {
        public boolean ok() {
            return error == null;
        }
    }

    /** A signed kind 23194 request, p-tagged to the wallet, with the encryption tag when NIP-44 is used. */
    public static Event request(NwcUri uri, Encryption encryption, String method, ObjectNode params, long now) {
        ObjectNode body = JSON.createObjectNode();
        body.put("method", method);
        body.set("params", params == null ? JSON.createObjectNode() : params);
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("p", uri.walletPubkey()));
        if (encryption == Encryption.NIP44_V2) {
            tags.add(List.of("encryption", encryption.tag()));
        }
        String content = encryption.encrypt(body.toString(), uri.client(), uri.walletPubkey());
        return Event.sign(uri.client(), now, REQUEST, tags, content);
    }

    public static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /**
     * Reads a wallet response to one of our requests, decrypting with the scheme the request used
     * (whatever tag the response carries).
     */
    public static Response readResponse(Event event, NwcUri uri, Encryption encryption) {
        if (event.kind() != RESPONSE || !event.verify() || !event.pubkey().equals(uri.walletPubkey())) {
            throw new IllegalArgumentException("not a valid response from this wallet");
        }
        JsonNode body;
        try {
            body = JSON.readTree(encryption.decrypt(event.content(), uri.client(), uri.walletPubkey()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("wallet response is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("wallet response is not a JSON object");
        }
        // Only a well-formed error may be taken as "the wallet did not do it"; anything else is unreadable.
        JsonNode error = body.get("error");
        Error parsed = null;
        if (error != null && !error.isNull()) {
            if (!error.isObject() || !error.path("code").isTextual() || error.path("code").asText().isEmpty()) {
                throw new IllegalArgumentException("wallet error is not a NIP-47 error object");
            }
            parsed = new Error(ErrorCode.of(error.path("code").asText()), error.path("message").asText(""));
        }
        JsonNode result = body.get("result");
        if (parsed == null && (result == null || result.isNull())) {
            throw new IllegalArgumentException("wallet answer has neither a result nor an error");
        }
        return new Response(body.path("result_type").asText(""), result == null || result.isNull() ? null : result,
                parsed, event.tagValue("e").orElse(null));
    }

    /** The request a wallet received, decrypted (what a wallet service, or a test double, does). */
    public static JsonNode readRequest(Event event, KeyPair wallet) {
        if (event.kind() != REQUEST || !event.verify()) {
            throw new IllegalArgumentException("not a valid NWC request");
        }
        Encryption encryption = event.tagValue("encryption").filter("nip44_v2"::equals).isPresent()
                ? Encryption.NIP44_V2 : Encryption.NIP04;
        try {
            return JSON.readTree(encryption.decrypt(event.content(), wallet, event.pubkey()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request is not JSON");
        }
    }
}
