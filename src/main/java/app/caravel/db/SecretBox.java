package app.caravel.db;

import app.caravel.nostr.Hex;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip44;

/**
 * Seals secrets at rest (SPEC §3): tenants' NWC URLs and relays' keys are stored NIP-44 v2 encrypted under
 * SECRETS_KEY, as the original seals them with its robot key (the conversation key of the key with its own
 * pubkey). A sealed value is stored as {@code "sealed:" + payload}, so a reader tells sealed from plaintext and
 * a rotation can resume. NIP-44's MAC makes a wrong key fail loudly instead of yielding garbage.
 */
public final class SecretBox {
    static final String PREFIX = "sealed:";
    private final byte[] conversationKey;

    private SecretBox(byte[] conversationKey) {
        this.conversationKey = conversationKey;
    }

    public static SecretBox of(String secretKeyHex) {
        KeyPair keys = KeyPair.fromSecretHex(secretKeyHex);
        return new SecretBox(Nip44.conversationKey(keys.secret(), Hex.decode(keys.pubkey(), 32)));
    }

    /** A stored value this key can't open: sealed under another key, or damaged. */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    public String seal(String plaintext) {
        return plaintext == null ? null : PREFIX + Nip44.encrypt(plaintext, conversationKey);
    }

    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /**
     * The plaintext of a stored value. A value written before sealing existed (no prefix) is returned as it is:
     * start-up seals every such row, so it can only be one written behind the service's back.
     */
    public String open(String stored) {
        if (stored == null || !isSealed(stored)) {
            return stored;
        }
        try {
            return Nip44.decrypt(stored.substring(PREFIX.length()), conversationKey);
        } catch (IllegalArgumentException e) {
            throw new Unreadable("a sealed secret does not open with SECRETS_KEY (" + e.getMessage() + ")");
        }
    }

    /** Whether this key opens {@code stored} (a sealed value). */
    public boolean opens(String stored) {
        try {
            open(stored);
            return true;
        } catch (Unreadable e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "SecretBox[key hidden]";
    }
}
