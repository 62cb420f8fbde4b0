package app.caravel.nostr;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A NIP-47 connection URI: {@code nostr+walletconnect://<wallet pubkey>?relay=…&secret=…[&lud16=…]}, several
 * relays allowed, the old form without {@code //} accepted. The secret is never part of {@link #toString()}.
 */
public record NwcUri(String walletPubkey, List<String> relays, KeyPair client, String lud16) {
    private static final String SCHEME = "nostr+walletconnect:";

    public static NwcUri parse(String uri) {
        if (uri == null || !uri.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            throw new IllegalArgumentException("scheme must be nostr+walletconnect");
        }
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
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = pair.substring(0, eq);
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "relay" -> relays.add(relay(value));
                    case "secret" -> secret = value.toLowerCase(Locale.ROOT);
                    case "lud16" -> lud16 = value.isEmpty() ? null : value;
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

    private static String relay(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("ws://") && !lower.startsWith("wss://")) {
            throw new IllegalArgumentException("relay must be a ws:// or wss:// URL");
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
