package app.caravel.nostr;

import java.util.HexFormat;
import java.util.regex.Pattern;

/** Lowercase hex, the only case Nostr accepts for ids, keys and signatures. */
public final class Hex {
    private static final HexFormat FORMAT = HexFormat.of();
    private static final Pattern LOWER_HEX = Pattern.compile("[0-9a-f]*");

    private Hex() {
    }

    public static String encode(byte[] bytes) {
        return FORMAT.formatHex(bytes);
    }

    /** Decodes lowercase hex of exactly {@code length} bytes; anything else is refused. */
    public static byte[] decode(String hex, int length) {
        if (!isHex(hex, length)) {
            throw new IllegalArgumentException("expected " + (length * 2) + " lowercase hex characters");
        }
        return FORMAT.parseHex(hex);
    }

    public static boolean isHex(String value, int length) {
        return value != null && value.length() == length * 2 && LOWER_HEX.matcher(value).matches();
    }
}
