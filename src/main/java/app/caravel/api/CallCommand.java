package app.caravel.api;

import app.caravel.nostr.Bech32;
import app.caravel.nostr.Hex;
import app.caravel.nostr.KeyPair;
import app.caravel.nostr.Nip98;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code java -jar caravel.jar call GET /relays --key <hex, nsec or a file holding one> [body]}: one API request
 * signed with NIP-98 as the given key, for operators and frontend developers; prints the JSON answer and exits
 * non-zero when it is not a 2xx. The request goes to {@code --url} (default PUBLIC_URL, else the local
 * server); the `u` tag names that URL. The key is never printed.
 */
public class CallCommand extends Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    public CallCommand() {
        super("call", "Call the API as a key: call METHOD PATH [JSON body] --key <hex | nsec | file>");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("method").help("GET, POST, PUT, PATCH or DELETE");
        subparser.addArgument("path").help("the route, e.g. /relays");
        subparser.addArgument("body").nargs("?").help("a JSON body");
        subparser.addArgument("--key").required(true).help("the caller's secret key: 64 hex, nsec1…, or a file holding either");
        subparser.addArgument("--url").setDefault(defaultUrl()).help("the API's base URL (default: PUBLIC_URL, else http://127.0.0.1:3000)");
    }

    private static String defaultUrl() {
        String publicUrl = System.getenv("PUBLIC_URL");
        return publicUrl == null || publicUrl.isBlank() ? "http://127.0.0.1:3000" : publicUrl.strip();
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        KeyPair keys = key(namespace.getString("key"));
        String method = namespace.getString("method").toUpperCase(Locale.ROOT);
        String base = namespace.getString("url").replaceAll("/+$", "");
        String path = namespace.getString("path").startsWith("/") ? namespace.getString("path") : "/" + namespace.getString("path");
        String body = namespace.getString("body");
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", new Nip98(Clock.systemUTC(), 60).header(keys, base + path, method, bytes))
                .method(method, bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bytes != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        System.out.println(pretty(response.body()));
        if (response.statusCode() / 100 != 2) {
            System.err.println("HTTP " + response.statusCode());
            System.exit(1);
        }
    }

    /** A hex or nsec key, or a file holding one; the message of a bad key never repeats it. */
    static KeyPair key(String given) throws IOException {
        String value = given.strip();
        if (!value.matches("[0-9a-fA-F]{64}") && !value.startsWith("nsec1") && Files.isRegularFile(Path.of(value))) {
            value = Files.readString(Path.of(value)).strip();
        }
        try {
            if (value.startsWith("nsec1")) {
                return KeyPair.fromSecretHex(Hex.encode(Bech32.decode("nsec", value)));
            }
            if (value.matches("[0-9a-fA-F]{64}")) {
                return KeyPair.fromSecretHex(value.toLowerCase(Locale.ROOT));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--key is not a valid secret key");
        }
        throw new IllegalArgumentException("--key must be 64 hex characters, an nsec, or a file holding one");
    }

    /** A bad key or an unreachable server is one line, not a stack trace. */
    @Override
    public void onError(io.dropwizard.core.cli.Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("call: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    private static String pretty(String body) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(body));
        } catch (IOException e) {
            return body;
        }
    }
}
