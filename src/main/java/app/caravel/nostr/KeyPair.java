package app.caravel.nostr;

/** A Nostr identity. The secret stays out of {@link #toString()} so a stray log line can't leak it. */
public record KeyPair(byte[] secret, String pubkey) {

    public static KeyPair fromSecretHex(String secretHex) {
        byte[] secret = Hex.decode(secretHex.toLowerCase(java.util.Locale.ROOT), 32);
        return new KeyPair(secret, Hex.encode(Crypto.xOnlyPublicKey(secret)));
    }

    public static KeyPair generate() {
        while (true) {
            byte[] secret = Crypto.randomBytes(32);
            if (Crypto.isValidSecret(secret)) {
                return new KeyPair(secret, Hex.encode(Crypto.xOnlyPublicKey(secret)));
            }
        }
    }

    public String secretHex() {
        return Hex.encode(secret);
    }

    public byte[] pubkeyBytes() {
        return Hex.decode(pubkey, 32);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyPair k && k.pubkey.equals(pubkey);
    }

    @Override
    public int hashCode() {
        return pubkey.hashCode();
    }

    @Override
    public String toString() {
        return "KeyPair[pubkey=" + pubkey + ", secret=<redacted>]";
    }
}
