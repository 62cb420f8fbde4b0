package app.caravel.nostr;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** NIP-44 v2: HKDF-SHA256 keys, padded plaintext, ChaCha20, HMAC-SHA256 over nonce‖ciphertext. */
public final class Nip44 {
    private static final byte VERSION = 2;
    private static final byte[] SALT = "nip44-v2".getBytes(StandardCharsets.US_ASCII);
    public static final int MAX_PLAINTEXT = 65535;

    private Nip44() {
    }

    public record MessageKeys(byte[] chachaKey, byte[] chachaNonce, byte[] hmacKey) {
    }

    /** HKDF-extract(salt "nip44-v2", shared x). Symmetric: conversationKey(a, B) == conversationKey(b, A). */
    public static byte[] conversationKey(byte[] secret, byte[] xOnlyPublic) {
        return Crypto.hmacSha256(SALT, Crypto.sharedX(secret, xOnlyPublic));
    }

    public static byte[] conversationKey(KeyPair keys, String peerPubkey) {
        return conversationKey(keys.secret(), Hex.decode(peerPubkey, 32));
    }

    /** HKDF-expand(conversation key, info = nonce, 76 bytes) split 32/12/32. */
    public static MessageKeys messageKeys(byte[] conversationKey, byte[] nonce) {
        if (conversationKey.length != 32 || nonce.length != 32) {
            throw new IllegalArgumentException("conversation key and nonce must be 32 bytes");
        }
        byte[] okm = new byte[76];
        byte[] previous = new byte[0];
        int offset = 0;
        for (byte counter = 1; offset < okm.length; counter++) {
            previous = Crypto.hmacSha256(conversationKey, previous, nonce, new byte[]{counter});
            int n = Math.min(previous.length, okm.length - offset);
            System.arraycopy(previous, 0, okm, offset, n);
            offset += n;
        }
        return new MessageKeys(Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 44),
                Arrays.copyOfRange(okm, 44, 76));
    }

    public static int paddedLength(int unpadded) {
        if (unpadded <= 0) {
            throw new IllegalArgumentException("plaintext must not be empty");
        }
        if (unpadded <= 32) {
            return 32;
        }
        int nextPower = Integer.highestOneBit(unpadded - 1) << 1;
        int chunk = nextPower <= 256 ? 32 : nextPower / 8;
        return chunk * ((unpadded - 1) / chunk + 1);
    }

    public static String encrypt(String plaintext, byte[] conversationKey) {
        return encrypt(plaintext, conversationKey, Crypto.randomBytes(32));
    }

    public static String encrypt(String plaintext, byte[] conversationKey, byte[] nonce) {
        byte[] text = plaintext.getBytes(StandardCharsets.UTF_8);
        if (text.length < 1 || text.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("plaintext must be 1 to 65535 bytes");
        }
        byte[] padded = new byte[2 + paddedLength(text.length)];
        padded[0] = (byte) (text.length >>> 8);
        padded[1] = (byte) text.length;
        System.arraycopy(text, 0, padded, 2, text.length);
        MessageKeys keys = messageKeys(conversationKey, nonce);
        byte[] ciphertext = chacha(keys, padded);
        byte[] mac = Crypto.hmacSha256(keys.hmacKey(), nonce, ciphertext);
        ByteBuffer out = ByteBuffer.allocate(1 + 32 + ciphertext.length + 32);
        out.put(VERSION).put(nonce).put(ciphertext).put(mac);
        return Base64.getEncoder().encodeToString(out.array());
    }

    public static String decrypt(String payload, byte[] conversationKey) {
        if (payload == null || payload.isEmpty() || payload.charAt(0) == '#') {
            throw new IllegalArgumentException("unknown encryption version");
        }
        if (payload.length() < 132 || payload.length() > 87472) {
            throw new IllegalArgumentException("invalid payload size");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid base64");
        }
        if (data.length < 99 || data.length > 65603) {
            throw new IllegalArgumentException("invalid data size");
        }
        if (data[0] != VERSION) {
            throw new IllegalArgumentException("unknown encryption version " + data[0]);
        }
        byte[] nonce = Arrays.copyOfRange(data, 1, 33);
        byte[] ciphertext = Arrays.copyOfRange(data, 33, data.length - 32);
        byte[] mac = Arrays.copyOfRange(data, data.length - 32, data.length);
        MessageKeys keys = messageKeys(conversationKey, nonce);
        if (!MessageDigest.isEqual(mac, Crypto.hmacSha256(keys.hmacKey(), nonce, ciphertext))) {
            throw new IllegalArgumentException("invalid MAC");
        }
        byte[] padded = chacha(keys, ciphertext);
        int length = ((padded[0] & 0xff) << 8) | (padded[1] & 0xff);
        if (length < 1 || padded.length != 2 + paddedLength(length)) {
            throw new IllegalArgumentException("invalid padding");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(padded, 2, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("plaintext is not UTF-8");
        }
    }

    private static byte[] chacha(MessageKeys keys, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("ChaCha20");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.chachaKey(), "ChaCha20"),
                    new ChaCha20ParameterSpec(keys.chachaNonce(), 0));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 unavailable", e);
        }
    }
}
