package app.caravel.api;

import app.caravel.billing.Plan;
import app.caravel.billing.Plans;
import app.caravel.nostr.Hex;
import app.caravel.nostr.NwcUri;
import app.caravel.nostr.RelayAddressPolicy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.regex.Pattern;

/** The input rules of SPEC §3/§4: 400 for a malformed id, 422 for a well-formed body that breaks a rule. */
public final class Validation {
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /**
     * What a name or description may not hold: C0/C1 controls, line and paragraph separators, and the bidi
     * overrides and isolates that make text display other than it reads. Emoji, joiners included, are fine.
     */
    private static final Pattern HOSTILE_TEXT = Pattern.compile("[\\p{Cc}\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]");
    public static final Set<String> RESERVED_SUBDOMAINS = Set.of("www", "api", "admin", "mail", "smtp", "imap",
            "pop", "ftp", "ns1", "ns2", "dns", "mx", "app", "dashboard", "status", "blog", "docs", "help", "support",
            "billing", "auth", "login", "static", "cdn", "assets", "relay", "relays", "zooid", "caravel", "root",
            "localhost", "webmail", "media", "blossom", "livekit");
    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 2000;
    static final int MAX_URL = 2048;

    private Validation() {
    }

    public static String pubkey(String value, String what) {
        if (!Hex.isHex(value, 32)) {
            throw ApiException.badRequest(what + " must be 64 lowercase hex characters");
        }
        return value;
    }

    public static String relayId(String value) {
        return uuid(value, "relay id");
    }

    public static String uuid(String value, String what) {
        if (value == null || !UUID.matcher(value).matches()) {
            throw ApiException.badRequest(what + " must be a lowercase UUID");
        }
        return value;
    }

    public static String subdomain(String value) {
        if (value == null || value.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_SUBDOMAIN, "subdomain is required");
        }
        if (!SUBDOMAIN.matcher(value).matches()) {
            throw new ApiException(ErrorCode.INVALID_SUBDOMAIN, "subdomain must be 1-63 characters of a-z, 0-9 "
                    + "and '-', not starting or ending with '-'");
        }
        if (RESERVED_SUBDOMAINS.contains(value)) {
            throw new ApiException(ErrorCode.RESERVED_SUBDOMAIN, "subdomain '" + value + "' is reserved");
        }
        return value;
    }

    public static Plan plan(String id) {
        if (id == null) {
            throw new ApiException(ErrorCode.INVALID_PLAN, "plan is required");
        }
        return Plans.find(id).orElseThrow(() -> new ApiException(ErrorCode.INVALID_PLAN,
                "unknown plan '" + id + "'; see GET /plans"));
    }

    public static String name(String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalidField("info_name", "is required");
        }
        String name = value.strip();
        if (name.length() > MAX_NAME) {
            throw ApiException.invalidField("info_name", "must be at most " + MAX_NAME + " characters");
        }
        return plainText(name, "info_name");
    }

    public static String description(String value) {
        if (value == null) {
            return "";
        }
        if (value.length() > MAX_DESCRIPTION) {
            throw ApiException.invalidField("info_description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        return plainText(value, "info_description");
    }

    private static String plainText(String value, String field) {
        if (HOSTILE_TEXT.matcher(value).find()) {
            throw ApiException.invalidField(field, "control characters, line separators and bidi overrides or "
                    + "isolates are not allowed");
        }
        return value;
    }

    /** An optional http(s) URL (the relay icon). */
    public static String iconUrl(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        try {
            URI uri = new URI(value);
            if (value.length() > MAX_URL || uri.getHost() == null
                    || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw ApiException.invalidField("info_icon", "must be an http(s) URL of at most " + MAX_URL + " characters");
            }
        } catch (URISyntaxException e) {
            throw ApiException.invalidField("info_icon", "must be an http(s) URL of at most " + MAX_URL + " characters");
        }
        return value;
    }

    /** A wallet connection URI; the reason is given, the value is never echoed (it holds a secret). */
    public static String nwcUrl(String value, RelayAddressPolicy relays) {
        if (value.length() > MAX_URL) {
            throw new ApiException(ErrorCode.INVALID_NWC_URL, "nwc_url is too long");
        }
        NwcUri uri;
        try {
            uri = NwcUri.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_NWC_URL, "nwc_url is not a valid NWC URL: " + e.getMessage());
        }
        for (String relay : uri.relays()) {
            relays.refusalWithoutLookup(relay).ifPresent(reason -> {
                throw new ApiException(ErrorCode.INVALID_NWC_URL, "nwc_url is refused: " + reason);
            });
        }
        return value;
    }

    /** Blossom and LiveKit only where the plan includes them. */
    public static void features(Plan plan, boolean blossom, boolean livekit) {
        if (blossom && !plan.blossom()) {
            throw new ApiException(ErrorCode.PLAN_FEATURE, "plan '" + plan.id() + "' does not include blossom");
        }
        if (livekit && !plan.livekit()) {
            throw new ApiException(ErrorCode.PLAN_FEATURE, "plan '" + plan.id() + "' does not include livekit");
        }
    }
}
