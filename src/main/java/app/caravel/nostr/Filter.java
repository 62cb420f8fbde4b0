package app.caravel.nostr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A NIP-01 subscription filter; {@link #matches} is the relay-side rule, also used to check what relays send. */
public record Filter(List<String> ids, List<String> authors, List<Integer> kinds, Map<String, List<String>> tags,
                     Long since, Long until, Integer limit) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Filter authorsKinds(List<String> authors, List<Integer> kinds) {
        return new Filter(null, authors, kinds, Map.of(), null, null, null);
    }

    public Filter withTag(String letter, List<String> values) {
        Map<String, List<String>> more = new LinkedHashMap<>(tags == null ? Map.of() : tags);
        more.put(letter, List.copyOf(values));
        return new Filter(ids, authors, kinds, more, since, until, limit);
    }

    public boolean matches(Event event) {
        if (ids != null && !ids.contains(event.id())) {
            return false;
        }
        if (authors != null && !authors.contains(event.pubkey())) {
            return false;
        }
        if (kinds != null && !kinds.contains(event.kind())) {
            return false;
        }
        if (since != null && event.createdAt() < since) {
            return false;
        }
        if (until != null && event.createdAt() > until) {
            return false;
        }
        if (tags != null) {
            for (Map.Entry<String, List<String>> tag : tags.entrySet()) {
                if (event.tagValues(tag.getKey()).stream().noneMatch(tag.getValue()::contains)) {
                    return false;
                }
            }
        }
        return true;
    }

    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        if (ids != null) {
            ids.forEach(node.putArray("ids")::add);
        }
        if (authors != null) {
            authors.forEach(node.putArray("authors")::add);
        }
        if (kinds != null) {
            kinds.forEach(node.putArray("kinds")::add);
        }
        if (tags != null) {
            tags.forEach((letter, values) -> values.forEach(node.putArray("#" + letter)::add));
        }
        if (since != null) {
            node.put("since", since);
        }
        if (until != null) {
            node.put("until", until);
        }
        if (limit != null) {
            node.put("limit", limit);
        }
        return node;
    }

    public static Filter fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("filter must be an object");
        }
        Map<String, List<String>> tags = new LinkedHashMap<>();
        node.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("#") && name.length() == 2) {
                tags.put(name.substring(1), strings(node.get(name)));
            }
        });
        List<Integer> kinds = null;
        if (node.has("kinds")) {
            kinds = new ArrayList<>();
            for (JsonNode kind : node.get("kinds")) {
                kinds.add(kind.asInt());
            }
        }
        return new Filter(node.has("ids") ? strings(node.get("ids")) : null,
                node.has("authors") ? strings(node.get("authors")) : null, kinds, tags,
                node.has("since") ? node.get("since").asLong() : null,
                node.has("until") ? node.get("until").asLong() : null,
                node.has("limit") ? node.get("limit").asInt() : null);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array instanceof ArrayNode) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }
}
