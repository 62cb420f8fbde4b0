package app.caravel.nostr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A NIP-01 event. {@code sig} is null for an unsigned rumor (NIP-59). Ids are compared as lowercase
 * strings, as every mainstream client does, so an uppercase id is invalid.
 */
public record Event(String id, String pubkey, long createdAt, int kind, List<List<String>> tags, String content,
                    String sig) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT = JSON.reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    public Event {
        tags = tags.stream().map(List::copyOf).toList();
    }

    /** An unsigned event with its id computed: a rumor, or the input of {@link #sign}. */
    public static Event unsigned(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        String id = Hex.encode(Crypto.sha256(serialize(pubkey, createdAt, kind, tags, content)
                .getBytes(StandardCharsets.UTF_8)));
        return new Event(id, pubkey, createdAt, kind, tags, content, null);
    }

    public static Event sign(KeyPair keys, long createdAt, int kind, List<List<String>> tags, String content) {
        Event draft = unsigned(keys.pubkey(), createdAt, kind, tags, content);
        byte[] sig = Crypto.signSchnorr(Hex.decode(draft.id, 32), keys.secret(), Crypto.randomBytes(32));
        return new Event(draft.id, draft.pubkey, createdAt, kind, draft.tags, content, Hex.encode(sig));
    }

    /** The canonical [0,pubkey,created_at,kind,tags,content] string whose sha256 is the id. */
    public static String serialize(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        StringBuilder out = new StringBuilder(128 + content.length());
        out.append("[0,");
        JsonText.quote(pubkey, out);
        out.append(',').append(createdAt).append(',').append(kind).append(',');
        appendTags(tags, out);
        out.append(',');
        JsonText.quote(content, out);
        return out.append(']').toString();
    }

    public String serialize() {
        return serialize(pubkey, createdAt, kind, tags, content);
    }

    public String computeId() {
        return Hex.encode(Crypto.sha256(serialize().getBytes(StandardCharsets.UTF_8)));
    }

    public boolean hasValidId() {
        return Hex.isHex(pubkey, 32) && id != null && id.equals(computeId());
    }

    /** Valid id and a BIP-340 signature by {@code pubkey} over it. */
    public boolean verify() {
        return hasValidId() && hasValidSignature();
    }

    /** A BIP-340 signature by {@code pubkey} over {@code id}, whether or not the id matches the content. */
    public boolean hasValidSignature() {
        if (sig == null || !Hex.isHex(sig, 64) || !Hex.isHex(id, 32) || !Hex.isHex(pubkey, 32)) {
            return false;
        }
        return Crypto.verifySchnorr(Hex.decode(sig, 64), Hex.decode(id, 32), Hex.decode(pubkey, 32));
    }

    public Optional<String> tagValue(String name) {
        return tags.stream().filter(t -> t.size() > 1 && t.get(0).equals(name)).map(t -> t.get(1)).findFirst();
    }

    public List<String> tagValues(String name) {
        return tags.stream().filter(t -> t.size() > 1 && t.get(0).equals(name)).map(t -> t.get(1)).toList();
    }

    public boolean isReplaceable() {
        return kind == 0 || kind == 3 || (kind >= 10000 && kind < 20000);
    }

    public String toJson() {
        StringBuilder out = new StringBuilder(256 + content.length());
        out.append("{\"id\":");
        JsonText.quote(id, out);
        out.append(",\"pubkey\":");
        JsonText.quote(pubkey, out);
        out.append(",\"created_at\":").append(createdAt).append(",\"kind\":").append(kind).append(",\"tags\":");
        appendTags(tags, out);
        out.append(",\"content\":");
        JsonText.quote(content, out);
        if (sig != null) {
            out.append(",\"sig\":");
            JsonText.quote(sig, out);
        }
        return out.append('}').toString();
    }

    /** Exactly one JSON object: trailing bytes and duplicate keys are refused, not ignored. */
    public static Event fromJson(String json) {
        try {
            return fromNode(STRICT.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON");
        }
    }

    /** Strict shape check: every field present with its JSON type; {@code sig} optional (rumors). */
    public static Event fromNode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("event must be a JSON object");
        }
        String id = text(node, "id");
        String pubkey = text(node, "pubkey");
        String content = text(node, "content");
        JsonNode createdAt = node.get("created_at");
        JsonNode kind = node.get("kind");
        if (createdAt == null || !createdAt.isIntegralNumber() || createdAt.asLong() < 0) {
            throw new IllegalArgumentException("event created_at must be a non-negative integer");
        }
        if (kind == null || !kind.isIntegralNumber() || kind.asLong() < 0 || kind.asLong() > 65535) {
            throw new IllegalArgumentException("event kind must be an integer 0-65535");
        }
        JsonNode tagsNode = node.get("tags");
        if (tagsNode == null || !tagsNode.isArray()) {
            throw new IllegalArgumentException("event tags must be an array");
        }
        List<List<String>> tags = new ArrayList<>();
        for (JsonNode tag : tagsNode) {
            if (!tag.isArray()) {
                throw new IllegalArgumentException("each tag must be an array of strings");
            }
            List<String> values = new ArrayList<>();
            for (JsonNode value : tag) {
                if (!value.isTextual()) {
                    throw new IllegalArgumentException("each tag must be an array of strings");
                }
                values.add(value.asText());
            }
            tags.add(values);
        }
        JsonNode sig = node.get("sig");
        if (sig != null && !sig.isTextual() && !sig.isNull()) {
            throw new IllegalArgumentException("event sig must be a string");
        }
        return new Event(id, pubkey, createdAt.asLong(), kind.asInt(), tags, content,
                sig == null || sig.isNull() ? null : sig.asText());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("event " + field + " must be a string");
        }
        return value.asText();
    }

    private static void appendTags(List<List<String>> tags, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < tags.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('[');
            List<String> tag = tags.get(i);
            for (int j = 0; j < tag.size(); j++) {
                if (j > 0) {
                    out.append(',');
                }
                JsonText.quote(tag.get(j), out);
            }
            out.append(']');
        }
        out.append(']');
    }
}
