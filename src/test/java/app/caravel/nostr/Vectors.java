package app.caravel.nostr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The test vectors, kept in the project's test resources ({@code src/test/resources/vectors}) as byte-identical
 * copies of the shared ones, so a clone of the project tests on its own. {@link VectorFilesTest} checks the
 * copies against {@code ../shared/vectors} wherever that folder is beside the project.
 */
public final class Vectors {
    static final String DIR = "vectors/";
    static final List<String> FILES = List.of("README.md", "bip340.csv", "nip44.vectors.json", "nostr-tools-fixtures.json");

    private Vectors() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Vectors.class.getClassLoader().getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("test vector missing from the test resources: " + DIR + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String name) {
        try {
            return new ObjectMapper().readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> lines(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8).lines().toList();
    }

    public static JsonNode fixtures() {
        return json("nostr-tools-fixtures.json");
    }

    public static KeyPair fixtureKey(int index) {
        return KeyPair.fromSecretHex(fixtures().path("keys").get(index).path("secret").asText());
    }
}
