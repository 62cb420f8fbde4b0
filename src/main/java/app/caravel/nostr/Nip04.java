package app.caravel.nostr;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** NIP-04 (deprecated, still spoken by some wallets): AES-256-CBC keyed by the raw ECDH x. */
public final class Nip04 {
    private Nip04() {
    }

    public static String encrypt(String plaintext, byte[] secret, byte[] peerXOnly) {
        return encryptWithIv(plaintext, Crypto.sharedX(secret, peerXOnly), Crypto.randomBytes(16));
    }

    /** Encryption with a given shared x and iv: deterministic, for the fixed-IV test vectors. */
    public static String encryptWithIv(String plaintext, byte[] sharedX, byte[] iv) {
        byte[] ciphertext = aes(Cipher.ENCRYPT_MODE, sharedX, iv, plaintext.getBytes(StandardCharsets.UTF_8));
        Base64.Encoder b64 = Base64.getEncoder();
        return b64.encodeToString(ciphertext) + "?iv=" + b64.encodeToString(iv);
    }

    public static String decrypt(String payload, byte[] secret, byte[] peerXOnly) {
        int sep = payload == null ? -1 : payload.indexOf("?iv=");
        if (sep < 0) {
            throw new IllegalArgumentException("NIP-04 payload must be base64?iv=base64");
        }
        byte[] ciphertext;
        byte[] iv;
        try {
            ciphertext = Base64.getDecoder().decode(payload.substring(0, sep));
            iv = Base64.getDecoder().decode(payload.substring(sep + 4));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("NIP-04 payload is not base64");
        }
        if (iv.length != 16) {
            throw new IllegalArgumentException("NIP-04 iv must be 16 bytes");
        }
        return new String(aes(Cipher.DECRYPT_MODE, Crypto.sharedX(secret, peerXOnly), iv, ciphertext),
                StandardCharsets.UTF_8);
    }

    private static byte[] aes(int mode, byte[] key, byte[] iv, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("NIP-04 decryption failed");
        }
    }
}
