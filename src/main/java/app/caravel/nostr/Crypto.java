package app.caravel.nostr;

import fr.acinq.secp256k1.Secp256k1;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The curve and hash primitives: libsecp256k1 for the curve, the JDK for the rest. */
public final class Crypto {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Crypto() {
    }

    public static Secp256k1 curve() {
        return Secp256k1.Companion.get();
    }

    public static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code secret} is a valid secp256k1 scalar (1 ≤ k < n). */
    public static boolean isValidSecret(byte[] secret) {
        if (secret.length != 32) {
            return false;
        }
        try {
            return curve().secKeyVerify(secret);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The x-only (BIP-340) public key of a secret key. */
    public static byte[] xOnlyPublicKey(byte[] secret) {
        if (!isValidSecret(secret)) {
            throw new IllegalArgumentException("invalid secret key");
        }
        byte[] compressed = curve().pubKeyCompress(curve().pubkeyCreate(secret));
        byte[] x = new byte[32];
        System.arraycopy(compressed, 1, x, 0, 32);
        return x;
    }

    /** Lifts an x-only key to its even-y point (33-byte compressed form), refusing x not on the curve. */
    public static byte[] liftX(byte[] xOnly) {
        if (xOnly.length != 32) {
            throw new IllegalArgumentException("public key must be 32 bytes");
        }
        byte[] compressed = new byte[33];
        compressed[0] = 0x02;
        System.arraycopy(xOnly, 0, compressed, 1, 32);
        try {
            curve().pubkeyParse(compressed);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("public key is not on the curve");
        }
        return compressed;
    }

    /** The raw x coordinate of secret·P, unhashed: the shared secret of NIP-04 and the input of NIP-44. */
    public static byte[] sharedX(byte[] secret, byte[] xOnlyPublic) {
        if (!isValidSecret(secret)) {
            throw new IllegalArgumentException("invalid secret key");
        }
        byte[] point;
        try {
            point = curve().pubKeyTweakMul(liftX(xOnlyPublic), secret);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("ECDH failed");
        }
        byte[] x = new byte[32];
        System.arraycopy(point, 1, x, 0, 32);
        return x;
    }

    public static byte[] signSchnorr(byte[] message32, byte[] secret, byte[] auxRand32) {
        return curve().signSchnorr(message32, secret, auxRand32);
    }

    /** BIP-340 verification; a malformed key or signature is simply "false". */
    public static boolean verifySchnorr(byte[] signature, byte[] message, byte[] xOnlyPublic) {
        if (signature.length != 64 || xOnlyPublic.length != 32) {
            return false;
        }
        try {
            return curve().verifySchnorr(signature, message, xOnlyPublic);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
