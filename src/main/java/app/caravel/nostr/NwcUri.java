package app.caravel.nostr;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A NIP-47 connection URI: {@code nostr+walletconnect://<wallet pubkey>?relay=…&secret=…[&lud16=…]}, several
 * relays allowed, the old form without {@code //} accepted. The secret is never part of {@link #toString()}.
 */
public record NwcUri(String walletPubkey, List<String> relays, KeyPair client, String lud16) {
    private static final String SCHEME = "nostr+walletconnect:";
    private static final Pattern HIDDEN = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Z}]");
    private static final Pattern LIGHTNING_ADDRESS = Pattern.compile(
            "[a-z0-9._+-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}", Pattern.CASE_INSENSITIVE);

    /**
     * Parses the whole URI or refuses it: no control, format or space characters anywhere (raw or
     * percent-decoded), every {@code relay} a ws/wss URL with a host, {@code lud16} a lightning address,
     * {@code secret} and {@code lud16} at most once, every parameter a {@code key=value} pair.
     */
    public static NwcUri parse(String uri) {
        if (uri == null || !uri.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            throw new IllegalArgumentException("scheme must be nostr+walletconnect");
        }
        refuseHiddenCharacters(uri);
        String rest = uri.substring(SCHEME.length());
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        int q = rest.indexOf('?');
        String pubkey = (q < 0 ? rest : rest.substring(0, q)).toLowerCase(Locale.ROOT);
        if (pubkey.endsWith("/")) {
            pubkey = pubkey.substring(0, pubkey.length() - 1);
        }
        if (!Hex.isHex(pubkey, 32)) {
            throw new IllegalArgumentException("wallet pubkey must be 64 hex chars");
        }
        List<String> relays = new ArrayList<>();
        String secret = null;
        String lud16 = null;
        if (q >= 0 && q + 1 < rest.length()) {
            for (String pair : rest.substring(q + 1).split("&", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("every parameter must be key=value");
                }
                String key = pair.substring(0, eq);
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                refuseHiddenCharacters(value);
                switch (key) {
                    case "relay" -> relays.add(relay(value));
                    case "secret" -> secret = once(secret, value.toLowerCase(Locale.ROOT), "secret");
                    case "lud16" -> lud16 = once(lud16, lightningAddress(value), "lud16");
                    default -> { }
                }
            }
        }
        if (relays.isEmpty()) {
            throw new IllegalArgumentException("at least one relay is required");
        }
        if (secret == null) {
            throw new IllegalArgumentException("secret is required");
        }
        if (!Hex.isHex(secret, 32) || !Crypto.isValidSecret(Hex.decode(secret, 32))) {
            throw new IllegalArgumentException("secret must be 64 hex chars");
        }
        try {
            Crypto.liftX(Hex.decode(pubkey, 32));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wallet pubkey is not a valid key");
        }
        return new NwcUri(pubkey, List.copyOf(relays), KeyPair.fromSecretHex(secret), lud16);
    }

    private static void refuseHiddenCharacters(String text) {
        if (HIDDEN.matcher(text).find()) {
            throw new IllegalArgumentException("control, format or space characters are not allowed");
        }
    }

    private static String once(String previous, String value, String key) {
        if (previous != null) {
            throw new IllegalArgumentException(key + " is given more than once");
        }
        return value;
    }

    private static String lightningAddress(String value) {
        if (!LIGHTNING_ADDRESS.matcher(value).matches()) {
            throw new IllegalArgumentException("lud16 must be a lightning address (name@domain)");
        }
        return value;
    }

    private static String relay(String value) {
        URI parsed;
        try {
            parsed = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("relay must be a ws:// or wss:// URL");
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss") || parsed.getHost() == null
                || parsed.getRawUserInfo() != null || parsed.getRawFragment() != null) {
            throw new IllegalArgumentException("relay must be a ws:// or wss:// URL with a host");
        }
        return value;
    }

    /** Which connection this is, without its secret: the wallet's pubkey and ours. */
    public String payerId() {
        return walletPubkey + "/" + client.pubkey();
    }

    @Override
    public String toString() {
        return "NwcUri[wallet=" + walletPubkey + ", relays=" + relays + ", secret=<redacted>]";
    }
}
