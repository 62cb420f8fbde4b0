package app.caravel.support;

import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip98;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** A frontend's view of the API: real HTTP, each request signed with NIP-98 by {@code keys} (or not at all). */
public final class SignedClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String signedBase;
    private final KeyPair keys;
    private final Nip98 nip98 = new Nip98(Clock.systemUTC(), 60);

    public SignedClient(int port, KeyPair keys) {
        this("http://127.0.0.1:" + port, "http://127.0.0.1:" + port, keys);
    }

    private SignedClient(String base, String signedBase, KeyPair keys) {
        this.base = base;
        this.signedBase = signedBase;
        this.keys = keys;
    }

    /** The same client signing its `u` tags for {@code publicUrl} (servers behind one PUBLIC_URL). */
    public SignedClient signingFor(String publicUrl) {
        return new SignedClient(base, publicUrl, keys);
    }

    public record Reply(int status, String body, Map<String, java.util.List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        /** The payload of a success envelope. */
        public JsonNode data() {
            JsonNode envelope = json();
            if (!"ok".equals(envelope.path("code").asText()) || !envelope.has("data")) {
                throw new AssertionError("not a success envelope: " + status + " " + body);
            }
            return envelope.path("data");
        }

        /** The envelope's code: "ok" or an error slug. */
        public String code() {
            return json().path("code").asText(null);
        }

        public String error() {
            return json().path("error").asText(null);
        }
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply post(String path, String body) {
        return send("POST", path, body);
    }

    public Reply put(String path, String body) {
        return send("PUT", path, body);
    }

    public Reply send(String method, String path, String body) {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        String auth = keys == null ? null : nip98.header(keys, signedBase + path, method, bytes);
        return raw(method, path, bytes, auth, body == null ? null : "application/json");
    }

    public String authHeader(String method, String path, byte[] body) {
        return nip98.header(keys, signedBase + path, method, body);
    }

    /** Full control: any header, any body, any content type (null leaves it out). */
    public Reply raw(String method, String path, byte[] body, String authorization, String contentType) {
        return raw(method, path, body, authorization, contentType, Map.of());
    }

    public Reply raw(String method, String path, byte[] body, String authorization, String contentType,
                     Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
