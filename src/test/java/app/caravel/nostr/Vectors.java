package app.caravel.nostr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shared test vectors, read in place from ../shared/vectors (never copied into the project). */
public final class Vectors {
    private static final Path DIR = Path.of(System.getProperty("user.dir")).resolve("../shared/vectors").normalize();

    private Vectors() {
    }

    public static JsonNode json(String name) {
        try {
            return new ObjectMapper().readTree(DIR.resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("test vectors missing at " + DIR, e);
        }
    }

    public static List<String> lines(String name) {
        try {
            return Files.readAllLines(DIR.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("test vectors missing at " + DIR, e);
        }
    }

    public static JsonNode fixtures() {
        return json("nostr-tools-fixtures.json");
    }

    public static KeyPair fixtureKey(int index) {
        return KeyPair.fromSecretHex(fixtures().path("keys").get(index).path("secret").asText());
    }
}
