package app.caravel.api;

import app.caravel.CaravelConfiguration;
import app.caravel.support.Ports;
import app.caravel.support.TestApps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests Jetty itself refuses, written byte for byte on a socket: each answer is the API's JSON error envelope
 * with a code, never an HTML page or an empty body.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HostileHttpTest {
    private static final int PORT = Ports.free();
    static final DropwizardAppExtension<CaravelConfiguration> APP = TestApps.app(PORT, Map.of());
    private static final String HOST = "Host: 127.0.0.1:" + PORT + "\r\n";

    record Raw(String name, String request, int status, String code) {
    }

    record Answer(int status, Map<String, String> headers, String body) {
    }

    private static List<Raw> requests() {
        List<Raw> r = new ArrayList<>();
        r.add(new Raw("100 KB Authorization header", "GET /identity HTTP/1.1\r\n" + HOST + "Authorization: Nostr "
                + "A".repeat(100_000) + "\r\nConnection: close\r\n\r\n", 431, "headers-too-large"));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            many.append("X-Filler-").append(i).append(": ").append("v".repeat(60)).append("\r\n");
        }
        r.add(new Raw("200 extra headers", "GET /identity HTTP/1.1\r\n" + HOST + many + "Connection: close\r\n\r\n",
                431, "headers-too-large"));
        r.add(new Raw("9 KB path", "GET /relays/" + "a".repeat(9 * 1024) + " HTTP/1.1\r\n" + HOST
                + "Connection: close\r\n\r\n", 414, "uri-too-long"));
        r.add(new Raw("ambiguous path separator", "GET /relays/..%2Ftenants HTTP/1.1\r\n" + HOST
                + "Connection: close\r\n\r\n", 400, "bad-request"));
        r.add(new Raw("bad UTF-8 in the path", "GET /relays/%FF%FE HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n",
                400, "bad-request"));
        r.add(new Raw("invalid Content-Length", "POST /relays HTTP/1.1\r\n" + HOST + "Content-Length: abc\r\n"
                + "Connection: close\r\n\r\n{}", 400, "bad-request"));
        r.add(new Raw("line folding", "GET /identity HTTP/1.1\r\n" + HOST + "X-Folded: a\r\n b\r\n"
                + "Connection: close\r\n\r\n", 400, "bad-request"));
        r.add(new Raw("no Host", "GET /identity HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "bad-request"));
        r.add(new Raw("an Accept the API cannot serve", "GET /plans HTTP/1.1\r\n" + HOST + "Accept: application/xml\r\n"
                + "Connection: close\r\n\r\n", 406, "not-acceptable"));
        r.add(new Raw("an unknown route", "GET /nowhere HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n", 404,
                "not-found"));
        for (String method : List.of("TRACE", "PROPFIND", "FOO", "get")) {
            r.add(new Raw(method + " method", method + " /relays HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n",
                    405, "method-not-allowed"));
        }
        return r;
    }

    @TestFactory
    Stream<DynamicTest> jettysOwnRefusalsLeaveInTheEnvelope() {
        return requests().stream().map(raw -> DynamicTest.dynamicTest(raw.name() + " → " + raw.status(), () -> {
            Answer answer = send(raw.request());
            assertEquals(raw.status(), answer.status(), answer.body());
            assertTrue(answer.headers().getOrDefault("content-type", "").startsWith("application/json"),
                    "content type: " + answer.headers());
            JsonNode body = new ObjectMapper().readTree(answer.body());
            assertEquals(raw.code(), body.path("code").asText(), answer.body());
            assertTrue(body.path("error").isTextual() && !body.path("error").asText().isBlank(), answer.body());
            assertEquals(2, body.size(), "the error envelope and nothing else: " + answer.body());
        }));
    }

    @org.junit.jupiter.api.Test
    void everyClientSendingAMegabyteGetsItsAnswerNotAReset() throws Exception {
        byte[] body = ("{\"subdomain\":\"big\",\"info_name\":\"" + "x".repeat(1 << 20) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 30; i++) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient(); // a fresh connection each
            java.net.http.HttpResponse<String> answer = client.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + PORT + "/relays"))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(413, answer.statusCode(), answer.body());
            assertEquals("payload-too-large", new ObjectMapper().readTree(answer.body()).path("code").asText());
        }
    }

    /** Writes the bytes as they are and reads the whole answer (the server closes after it). */
    private static Answer send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", PORT)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before it has read everything we send
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                in.transferTo(all);
            } catch (IOException e) {
                // a reset after the answer was written
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String[] head = (split < 0 ? text : text.substring(0, split)).split("\r\n");
            Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                if (colon > 0) {
                    headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
                }
            }
            String body = split < 0 ? "" : text.substring(split + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = unchunk(body);
            }
            return new Answer(Integer.parseInt(head[0].split(" ")[1]), headers, body);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
