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
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
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
            throw ApiException.unprocessable("subdomain is required");
        }
        if (!SUBDOMAIN.matcher(value).matches()) {
            throw ApiException.unprocessable("subdomain must be 1-63 characters of a-z, 0-9 and '-', "
                    + "not starting or ending with '-'");
        }
        if (RESERVED_SUBDOMAINS.contains(value)) {
            throw ApiException.unprocessable("subdomain '" + value + "' is reserved");
        }
        return value;
    }

    public static Plan plan(String id) {
        if (id == null) {
            throw ApiException.unprocessable("plan is required");
        }
        return Plans.find(id).orElseThrow(() -> ApiException.unprocessable(
                "unknown plan '" + id + "'; see GET /plans"));
    }

    public static String name(String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.unprocessable("name is required");
        }
        String name = value.strip();
        if (name.length() > MAX_NAME || CONTROL.matcher(name).find()) {
            throw ApiException.unprocessable("name must be at most " + MAX_NAME + " printable characters");
        }
        return name;
    }

    public static String description(String value) {
        if (value == null) {
            return "";
        }
        if (value.length() > MAX_DESCRIPTION) {
            throw ApiException.unprocessable("description must be at most " + MAX_DESCRIPTION + " characters");
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
                throw ApiException.unprocessable("icon must be an http(s) URL of at most " + MAX_URL + " characters");
            }
        } catch (URISyntaxException e) {
            throw ApiException.unprocessable("icon must be an http(s) URL of at most " + MAX_URL + " characters");
        }
        return value;
    }

    /** A wallet connection URI; the reason is given, the value is never echoed (it holds a secret). */
    public static String nwcUrl(String value, RelayAddressPolicy relays) {
        if (value.length() > MAX_URL) {
            throw ApiException.unprocessable("nwc_url is too long");
        }
        NwcUri uri;
        try {
            uri = NwcUri.parse(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("nwc_url is not a valid NWC URL: " + e.getMessage());
        }
        for (String relay : uri.relays()) {
            relays.refusalWithoutLookup(relay).ifPresent(reason -> {
                throw ApiException.unprocessable("nwc_url is refused: " + reason);
            });
        }
        return value;
    }

    /** Blossom and LiveKit only where the plan includes them. */
    public static void features(Plan plan, boolean blossom, boolean livekit) {
        if (blossom && !plan.blossom()) {
            throw ApiException.unprocessable("plan '" + plan.id() + "' does not include blossom");
        }
        if (livekit && !plan.livekit()) {
            throw ApiException.unprocessable("plan '" + plan.id() + "' does not include livekit");
        }
    }
}
