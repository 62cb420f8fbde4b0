package app.caravel.nostr;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** NIP-19 bech32 for the two forms a user may paste: npub and nsec. */
public final class Bech32 {
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};

    private Bech32() {
    }

    public static String encode(String hrp, byte[] data) {
        byte[] values = convertBits(data, 8, 5, true);
        byte[] checksum = checksum(hrp, values);
        StringBuilder out = new StringBuilder(hrp).append('1');
        for (byte v : values) {
            out.append(CHARSET.charAt(v));
        }
        for (byte v : checksum) {
            out.append(CHARSET.charAt(v));
        }
        return out.toString();
    }

    /** Decodes a bech32 string with the expected prefix into its 32-byte payload. */
    public static byte[] decode(String expectedHrp, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!text.equals(lower) && !text.equals(text.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("mixed case");
        }
        int sep = lower.lastIndexOf('1');
        if (sep < 1 || sep + 7 > lower.length() || lower.length() > 90) {
            throw new IllegalArgumentException("not bech32");
        }
        String hrp = lower.substring(0, sep);
        if (!hrp.equals(expectedHrp)) {
            throw new IllegalArgumentException("expected " + expectedHrp + ", got " + hrp);
        }
        byte[] values = new byte[lower.length() - sep - 1];
        for (int i = 0; i < values.length; i++) {
            int v = CHARSET.indexOf(lower.charAt(sep + 1 + i));
            if (v < 0) {
                throw new IllegalArgumentException("bad bech32 character");
            }
            values[i] = (byte) v;
        }
        if (polymod(expand(hrp), values) != 1) {
            throw new IllegalArgumentException("bad bech32 checksum");
        }
        byte[] payload = new byte[values.length - 6];
        System.arraycopy(values, 0, payload, 0, payload.length);
        byte[] bytes = convertBits(payload, 5, 8, false);
        if (bytes.length != 32) {
            throw new IllegalArgumentException("expected 32 bytes");
        }
        return bytes;
    }

    /** A pubkey as 64-char hex, from hex or an npub. */
    public static String pubkeyHex(String value) {
        return value.startsWith("npub1") ? Hex.encode(decode("npub", value)) : Hex.encode(Hex.decode(value, 32));
    }

    private static byte[] checksum(String hrp, byte[] values) {
        byte[] expanded = expand(hrp);
        byte[] all = new byte[values.length + 6];
        System.arraycopy(values, 0, all, 0, values.length);
        int mod = polymod(expanded, all) ^ 1;
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
        }
        return out;
    }

    private static byte[] expand(String hrp) {
        byte[] out = new byte[hrp.length() * 2 + 1];
        for (int i = 0; i < hrp.length(); i++) {
            out[i] = (byte) (hrp.charAt(i) >> 5);
            out[i + hrp.length() + 1] = (byte) (hrp.charAt(i) & 31);
        }
        return out;
    }

    private static int polymod(byte[] prefix, byte[] values) {
        int chk = 1;
        for (byte[] part : new byte[][]{prefix, values}) {
            for (byte v : part) {
                int top = chk >>> 25;
                chk = ((chk & 0x1ffffff) << 5) ^ v;
                for (int i = 0; i < 5; i++) {
                    if (((top >>> i) & 1) != 0) {
                        chk ^= GENERATOR[i];
                    }
                }
            }
        }
        return chk;
    }

    private static byte[] convertBits(byte[] data, int from, int to, boolean pad) {
        int acc = 0;
        int bits = 0;
        int maxv = (1 << to) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : data) {
            int value = b & 0xff;
            if ((value >>> from) != 0) {
                throw new IllegalArgumentException("bad data");
            }
            acc = (acc << from) | value;
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >>> bits) & maxv);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (to - bits)) & maxv);
            }
        } else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
            throw new IllegalArgumentException("bad padding");
        }
        return out.toByteArray();
    }
}
