package app.caravel.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The OpenAPI 3 description of this API at GET /openapi.json, unsigned: it holds no data, and API clients and
 * code generators fetch it before they can sign anything. Built once at start ({@link OpenApiDocument}).
 */
@Path("/openapi.json")
public class OpenApiResource {
    private final JsonNode document;

    public OpenApiResource(String publicUrl) {
        this.document = OpenApiDocument.build(publicUrl);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonNode get() {
        return document;
    }
}
