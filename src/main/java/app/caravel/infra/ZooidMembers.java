package app.caravel.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What we assume of zooid's member list, in this one place (SPEC §5.1). Newer zooid (gitea PR #6) answers
 * {@code GET /relay/{id}/members} with the live NIP-43 list when the relay is loaded, else owner + relay key +
 * roles + persisted members; the body is not documented upstream. Assumed: {@code {"members": ["<hex pubkey>",
 * …]}}, and 404 for a relay zooid does not know (which then has no members). Anything else is a broken answer.
 */
public final class ZooidMembers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PUBKEY = Pattern.compile("^[0-9a-f]{64}$");

    private ZooidMembers() {
    }

    /** The request path under zooid's API base. */
    public static String path(String relayId) {
        return "/relay/" + relayId + "/members";
    }

    /** Members of a 200 answer's body, each once; refuses a body that is not the assumed shape. */
    public static List<String> parse(String body) throws IOException {
        JsonNode root = JSON.readTree(body);
        JsonNode members = root == null ? null : root.get("members");
        if (members == null || !members.isArray()) {
            throw new IOException("zooid's member list has no \"members\" array");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode member : members) {
            if (!member.isTextual() || !PUBKEY.matcher(member.asText()).matches()) {
                throw new IOException("zooid's member list holds something that is not a hex pubkey");
            }
            out.add(member.asText());
        }
        return new ArrayList<>(out);
    }
}
