package app.caravel.db;

import app.caravel.CaravelConfiguration;
import app.caravel.config.ConfigException;
import app.caravel.config.DatabaseUrl;
import app.caravel.nostr.KeyPair;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where the key that seals secrets comes from (SPEC §2): SECRETS_KEY; else derived from ROBOT_SECRET (as the
 * original seals with its robot key); else, with SQLite only, a key generated once into a file beside the
 * database (owner-only). PostgreSQL has no "beside": its processes must share one key, so it must be given.
 */
public final class SecretsKeys {
    private SecretsKeys() {
    }

    /** The key and a description of its source (for messages; never the key itself). */
    public record Key(String hex, String source) {
        @Override
        public String toString() {
            return "Key[" + source + "]";
        }

        public SecretBox box() {
            try {
                return SecretBox.of(hex);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("SECRETS_KEY", "(" + source + ") is not a valid secp256k1 secret key");
            }
        }
    }

    public static Key resolve(CaravelConfiguration config) {
        if (config.secretsKey().isPresent()) {
            return new Key(config.secretsKey().get(), "SECRETS_KEY");
        }
        if (config.robotSecret().isPresent()) {
            return new Key(config.robotSecret().get(), "derived from ROBOT_SECRET");
        }
        DatabaseUrl url = config.databaseUrl();
        if (!url.sqlite()) {
            throw new ConfigException("SECRETS_KEY", "must be set (or ROBOT_SECRET, from which it is derived) when "
                    + "DATABASE_URL is PostgreSQL: every server process must seal and open secrets with the same key");
        }
        Path file = Path.of(url.sqliteFile().orElseThrow() + ".secrets-key");
        return new Key(readOrCreate(file), "the key file " + file);
    }

    private static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, KeyPair.generate().secretHex() + "\n", StandardCharsets.US_ASCII);
                } catch (FileAlreadyExistsException raced) {
                    // another start made it first: read theirs
                } catch (UnsupportedOperationException noPosix) {
                    Files.writeString(file, KeyPair.generate().secretHex() + "\n", StandardCharsets.US_ASCII);
                }
            }
            String hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new ConfigException("SECRETS_KEY", "the key file " + file + " does not hold 64 hex characters");
            }
            return hex;
        } catch (IOException e) {
            throw new ConfigException("SECRETS_KEY", "cannot read or create the key file " + file + ": " + e.getMessage());
        }
    }
}
