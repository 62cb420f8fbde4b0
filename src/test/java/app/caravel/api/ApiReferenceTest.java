package app.caravel.api;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/API.md is the OpenAPI document rendered: a route added without regenerating it fails here. */
class ApiReferenceTest {
    @Test
    void theReferenceInTheRepositoryIsTheServedDocument() throws Exception {
        String rendered = ApiReference.markdown(OpenApiDocument.build("http://127.0.0.1:3000"));
        assertEquals(rendered, Files.readString(Path.of("docs", "API.md")), "docs/API.md is stale: run `make docs`");
        for (OpenApiDocument.Route route : OpenApiDocument.ROUTES) {
            assertTrue(rendered.contains("### " + route.method() + " " + route.path() + "\n"), route.toString());
        }
    }
}
