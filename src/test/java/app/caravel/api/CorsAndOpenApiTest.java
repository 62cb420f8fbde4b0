package app.caravel.api;

import app.caravel.CaravelConfiguration;
import app.caravel.nostr.KeyPair;
import app.caravel.support.Ports;
import app.caravel.support.SignedClient;
import app.caravel.support.TestApps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(DropwizardExtensionsSupport.class)
class CorsAndOpenApiTest {
    private static final int PORT = Ports.free();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT,
            Map.of("allow_origins", "https://app.example.com, http://localhost:5173"));
    private final SignedClient anonymous = new SignedClient(PORT, null);

    @Test
    void preflightForAnAllowedOriginNamesTheAuthorizationHeader() {
        SignedClient.Reply reply = anonymous.raw("OPTIONS", "/relays", null, null, null, Map.of(
                "Origin", "https://app.example.com", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization, content-type"));
        assertEquals(204, reply.status());
        assertEquals(List.of("https://app.example.com"), reply.headers().get("access-control-allow-origin"));
        assertTrue(reply.headers().get("access-control-allow-headers").get(0).contains("Authorization"));
        assertTrue(reply.headers().get("access-control-allow-methods").get(0).contains("PUT"));
    }

    @Test
    void otherOriginsGetNoCorsHeaders() {
        SignedClient.Reply reply = anonymous.raw("OPTIONS", "/relays", null, null, null, Map.of(
                "Origin", "https://evil.example", "Access-Control-Request-Method", "POST"));
        assertNull(reply.headers().get("access-control-allow-origin"));
        SignedClient.Reply get = new SignedClient(PORT, KeyPair.generate()).raw("GET", "/plans", null,
                new SignedClient(PORT, KeyPair.generate()).authHeader("GET", "/plans", null), null,
                Map.of("Origin", "https://evil.example"));
        assertEquals(200, get.status());
        assertNull(get.headers().get("access-control-allow-origin"));
    }

    @Test
    void actualResponsesCarryTheOriginEvenOnErrors() {
        SignedClient.Reply unauthorized = anonymous.raw("GET", "/identity", null, null, null,
                Map.of("Origin", "http://localhost:5173"));
        assertEquals(401, unauthorized.status());
        assertEquals(List.of("http://localhost:5173"), unauthorized.headers().get("access-control-allow-origin"));
    }

    /** The document names exactly the routes Jersey serves, with the same methods, and is what the API serves. */
    @Test
    void openApiDocumentMatchesTheResources() {
        Set<String> documented = new TreeSet<>();
        for (OpenApiDocument.Route route : OpenApiDocument.ROUTES) {
            documented.add(route.method() + " " + route.path());
        }
        Set<String> served = new TreeSet<>();
        for (Class<?> type : List.of(IdentityResource.class, PlanResource.class, TenantResource.class,
                RelayResource.class, InvoiceResource.class, OpenApiResource.class)) {
            collect(Resource.from(type), "", served);
        }
        assertEquals(served, documented);
        JsonNode doc = new SignedClient(PORT, null).get("/openapi.json").json();
        Set<String> inDocument = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                method -> inDocument.add(method.toUpperCase() + " " + path.getKey())));
        assertEquals(documented, inDocument);
        assertEquals("http://127.0.0.1:" + PORT, doc.path("servers").get(0).path("url").asText(), "PUBLIC_URL");
    }

    /** Every code the API has is documented, and every route lists 401 exactly when it must be signed. */
    @Test
    void theDocumentListsEveryCodeAndEachRoutesCodes() {
        JsonNode doc = new SignedClient(PORT, null).get("/openapi.json").json();
        Set<String> listed = new TreeSet<>();
        doc.path("info").path("x-error-codes").forEach(c -> listed.add(c.path("code").asText()));
        Set<String> all = new TreeSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            all.add(code.slug());
        }
        assertEquals(all, listed);
        for (OpenApiDocument.Route route : OpenApiDocument.ROUTES) {
            JsonNode responses = doc.path("paths").path(route.path()).path(route.method().toLowerCase()).path("responses");
            Set<String> codes = new TreeSet<>();
            responses.forEach(r -> r.path("x-codes").forEach(c -> codes.add(c.asText())));
            assertEquals(route.signed(), codes.contains("unauthorized"), route.path());
            assertTrue(codes.contains("internal"), route.path());
        }
    }

    @Test
    void everyDocumentedSchemaFieldOfARelayIsWhatTheApiReturns() {
        KeyPair tenant = KeyPair.generate();
        SignedClient client = new SignedClient(PORT, tenant);
        client.post("/tenants", null);
        JsonNode relay = client.post("/relays", "{\"subdomain\":\"doc-check\",\"info_name\":\"D\",\"plan\":\"free\"}").data();
        JsonNode schema = client.get("/openapi.json").json().path("components").path("schemas").path("Relay").path("properties");
        Set<String> returned = new TreeSet<>();
        relay.fieldNames().forEachRemaining(returned::add);
        Set<String> documented = new TreeSet<>();
        schema.fieldNames().forEachRemaining(documented::add);
        assertEquals(documented, returned);
        assertFalse(returned.contains("secret"));
    }

    private static void collect(Resource resource, String prefix, Set<String> out) {
        String path = normalise(prefix + "/" + resource.getPath());
        for (ResourceMethod method : resource.getResourceMethods()) {
            out.add(method.getHttpMethod() + " " + path);
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, out);
        }
    }

    private static String normalise(String path) {
        String p = path.replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
