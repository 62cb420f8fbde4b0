package app.caravel.infra;

import app.caravel.nostr.Nip98;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * zooid's management API: POST/PUT/PATCH {@code /relay/{id}} (never DELETE: a relay taken out of service is
 * a PUT of its config with {@code inactive: true}), JSON configs, {@code {"error"}}
 * answers. Every request is NIP-98 signed with ZOOID_API_SECRET. Bodies carry relay secrets, so nothing
 * here logs a body.
 */
public final class ZooidClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient http;
    private final ZooidSettings settings;
    private final Nip98 nip98;

    public ZooidClient(HttpClient http, ZooidSettings settings, Nip98 nip98) {
        this.http = http;
        this.settings = settings;
        this.nip98 = nip98;
    }

    /** zooid's answer: the status and, for errors, its message. */
    public record Answer(int status, String error) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** A probe's answer: zooid is up and takes our key (404: the probe id never exists, nothing changed). */
        public boolean reachable() {
            return status == 404 || ok();
        }
    }

    /** The relay id the probe patches: it never exists, so the PATCH changes nothing. */
    static final String PROBE_ID = "caravel-health-probe";

    /** Whether zooid answers and accepts our key, without changing anything (the health check, the outage recovery). */
    public Answer probe() throws IOException, InterruptedException {
        return patch(PROBE_ID, JSON.createObjectNode());
    }

    /** A read's status and body. */
    public record Reply(int status, String body) {
    }

    /** A signed GET of {@code path} under the API base (e.g. a relay's member list). */
    public Reply get(String path) throws IOException, InterruptedException {
        String url = settings.baseUrl() + path;
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Authorization", nip98.header(settings.signer(), url, "GET", null)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.body());
    }

    public Answer create(String id, JsonNode config) throws IOException, InterruptedException {
        return send("POST", id, config);
    }

    public Answer replace(String id, JsonNode config) throws IOException, InterruptedException {
        return send("PUT", id, config);
    }

    public Answer patch(String id, JsonNode patch) throws IOException, InterruptedException {
        return send("PATCH", id, patch);
    }

    private Answer send(String method, String id, JsonNode body) throws IOException, InterruptedException {
        String url = settings.baseUrl() + "/relay/" + id;
        byte[] bytes = body == null ? null : JSON.writeValueAsBytes(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("Authorization", nip98.header(settings.signer(), url, method, bytes))
                .method(method, bytes == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bytes != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(response.statusCode(), errorOf(response));
    }

    private static String errorOf(HttpResponse<String> response) {
        if (response.statusCode() < 400) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node != null && node.hasNonNull("error")) {
                return node.get("error").asText();
            }
        } catch (IOException ignored) {
            // not JSON: fall through to the raw start of the body
        }
        String body = response.body() == null ? "" : response.body().strip();
        return body.length() > 200 ? body.substring(0, 200) : body;
    }
}
