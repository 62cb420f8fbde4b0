package app.caravel;

import app.caravel.support.Ports;
import app.caravel.support.TestApps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator exposes by accident: the admin port stays on loopback when the API is opened to the network,
 * and health answers carry no stack traces. (One app per test class: two would leave each other's settings behind.)
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OperationsExposureTest {
    private static final int PORT = Ports.free();
    static final DropwizardAppExtension<CaravelConfiguration> OPEN = TestApps.app(PORT, Map.of("host", "0.0.0.0"));

    @Test
    void theAdminPortStaysOnLoopbackWhenTheApiListensEverywhere() {
        Map<Integer, String> hosts = new HashMap<>();
        for (Connector connector : OPEN.getEnvironment().getApplicationContext().getServer().getConnectors()) {
            ServerConnector bound = (ServerConnector) connector;
            hosts.put(bound.getLocalPort(), bound.getHost());
        }
        assertEquals("0.0.0.0", hosts.get(OPEN.getLocalPort()));
        assertEquals("127.0.0.1", hosts.get(OPEN.getAdminPort()), "ADMIN_HOST defaults to loopback");
    }

    @Test
    void aCheckThatThrowsIsReportedWithoutItsStackTrace() throws Exception {
        var jdbi = OPEN.<CaravelApplication>getApplication().database().jdbi();
        jdbi.useHandle(h -> h.execute("ALTER TABLE tenants RENAME TO tenants_away"));
        try {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + OPEN.getAdminPort() + "/healthcheck")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode database = new ObjectMapper().readTree(health.body()).path("database");
            assertFalse(database.path("healthy").asBoolean(), health.body());
            assertTrue(database.path("message").asText().contains("no such table"), health.body());
            assertFalse(health.body().contains("\tat ") || health.body().contains("\"stack\"")
                    || health.body().contains("app.caravel."), "no stack trace: " + health.body());
        } finally {
            jdbi.useHandle(h -> h.execute("ALTER TABLE tenants_away RENAME TO tenants"));
        }
    }
}
