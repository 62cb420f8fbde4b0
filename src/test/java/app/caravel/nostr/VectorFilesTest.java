package app.caravel.nostr;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The project's copies of the vectors are the shared ones, byte for byte, wherever the shared folder is beside it. */
class VectorFilesTest {
    @Test
    void copiesAreByteIdenticalToTheSharedVectors() throws Exception {
        Path shared = Path.of(System.getProperty("user.dir")).resolve("../shared/vectors").normalize();
        assumeTrue(Files.isDirectory(shared), "no ../shared/vectors beside this clone: the copies are the reference");
        for (String name : Vectors.FILES) {
            assertArrayEquals(Files.readAllBytes(shared.resolve(name)), Vectors.bytes(name), name + " differs from " + shared);
        }
    }
}
