package app.caravel.support;

import app.caravel.nostr.Crypto;
import app.caravel.nostr.Event;
import app.caravel.nostr.Hex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * zooid's management API on loopback, as zooid implements it: NIP-98 auth with a pubkey whitelist (401 /
 * 403), {@code /relay/{id}} with POST (201; 409 if the id, host or schema exists), PUT (200; 404 if
 * missing), PATCH (deep merge), DELETE (200; 404), config validation (host, schema pattern, secret and
 * info.pubkey as keys → 400) and {@code {"error": "..."}} answers. Stored configs are inspectable, and
 * tests can make it fail or go away.
 */
public final class ZooidDouble implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCHEMA = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");

    private final Set<String> whitelist;
    private final Map<String, ObjectNode> configs = new ConcurrentHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Map<String, List<ObjectNode>> history = new ConcurrentHashMap<>();
    private final Map<String, List<String>> members = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus = 500;
    private final AtomicReference<Runnable> beforeNextAnswer = new AtomicReference<>();
    private volatile HttpServer server;
    private int port;

    public ZooidDouble(Set<String> whitelist) {
        this.whitelist = Set.copyOf(whitelist);
    }

    /** For a static field: the double, whitelisting {@code platformPubkey}, or an unchecked failure. */
    public static ZooidDouble startFor(String platformPubkey) {
        try {
            return start(platformPubkey);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static ZooidDouble start(String... whitelistedPubkeys) throws IOException {
        ZooidDouble zooid = new ZooidDouble(Set.of(whitelistedPubkeys));
        zooid.listen(0);
        return zooid;
    }

    private synchronized void listen(int wanted) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", wanted), 0);
        http.createContext("/", this::handle);
        http.setExecutor(Executors.newFixedThreadPool(4, work -> {
            Thread thread = new Thread(work, "zooid-double");
            thread.setDaemon(true);
            return thread;
        }));
        http.start();
        port = http.getAddress().getPort();
        server = http;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Goes away (connection refused) until {@link #restart()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public void restart() throws IOException {
        listen(port);
    }

    /** The next {@code count} authenticated requests answer {@code status} without doing anything. */
    public void failNext(int count, int status) {
        failureStatus = status;
        failures.set(count);
    }

    /**
     * Runs {@code hook} on the next authenticated request's thread, before zooid acts on it: what happens
     * elsewhere while a call is on the wire (a tenant's write, a second sync), or a slow answer.
     */
    public void beforeNextAnswer(Runnable hook) {
        beforeNextAnswer.set(hook);
    }

    /** Whether zooid serves the relay: it has its config and the config is not {@code inactive}. */
    public boolean served(String id) {
        JsonNode config = configs.get(id);
        return config != null && !config.path("inactive").asBoolean(false);
    }

    public JsonNode config(String id) {
        return configs.get(id);
    }

    /** zooid loses a relay's config (and with it the relay): later calls about it answer 404. */
    public void forget(String id) {
        configs.remove(id);
    }

    /** The members that joined the relay besides its owner (zooid lists the owner from the config's info.pubkey). */
    public void setMembers(String id, List<String> joined) {
        members.put(id, List.copyOf(joined));
    }

    /**
     * zooid's {@code GET /relay/{id}/members} in the shape {@link app.caravel.infra.ZooidMembers} assumes:
     * {"members": [owner, joined…]}, 404 for a relay it does not know.
     */
    private synchronized Object[] members(String id) {
        ObjectNode config = configs.get(id);
        if (config == null) {
            return answer(404, error("relay not found"));
        }
        ObjectNode body = JSON.createObjectNode();
        var list = body.putArray("members");
        list.add(config.path("info").path("pubkey").asText());
        members.getOrDefault(id, List.of()).forEach(list::add);
        return answer(200, body.toString());
    }

    /** Every config zooid accepted for this relay (create or replace), in the order it got them. */
    public List<ObjectNode> history(String id) {
        return List.copyOf(history.getOrDefault(id, List.of()));
    }

    public Set<String> ids() {
        return Set.copyOf(configs.keySet());
    }

    /** A config put there by someone else (another platform, an operator by hand). */
    public void putForeign(String id, ObjectNode config) {
        configs.put(id, config);
    }

    /** "METHOD id status" for every request, in order. */
    public List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String[] parts = path.replaceFirst("^/", "").split("/", -1);
        String id = parts.length >= 2 ? parts[1] : "";
        int status;
        String reply;
        String authError = authenticate(exchange, method, path, body);
        if (authError == null) {
            runHook();
        }
        if (authError != null) {
            status = authError.equals("pubkey not in whitelist") ? 403 : 401;
            reply = error(authError);
        } else if (parts.length < 2 || !parts[0].equals("relay")) {
            status = 404;
            reply = error("not found");
        } else if (id.isEmpty()) {
            status = 400;
            reply = error("relay id is required");
        } else if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            status = failureStatus;
            reply = error("injected failure");
        } else if (parts.length == 3 && parts[2].equals("members") && method.equals("GET")) {
            Object[] result = members(id);
            status = (Integer) result[0];
            reply = (String) result[1];
        } else if (parts.length > 2) {
            status = 404;
            reply = error("not found");
        } else {
            Object[] result = route(method, id, body);
            status = (Integer) result[0];
            reply = (String) result[1];
        }
        log.add(method + " " + id + " " + status);
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private void runHook() {
        Runnable hook = beforeNextAnswer.getAndSet(null);
        if (hook != null) {
            hook.run();
        }
    }

    private synchronized Object[] route(String method, String id, byte[] body) {
        switch (method) {
            case "POST" -> {
                if (configs.containsKey(id)) {
                    return answer(409, error("relay with this id already exists"));
                }
                return store(id, body, 201, "relay created successfully");
            }
            case "PUT" -> {
                if (!configs.containsKey(id)) {
                    return answer(404, error("relay not found"));
                }
                return store(id, body, 200, "relay updated successfully");
            }
            case "PATCH" -> {
                if (!configs.containsKey(id)) {
                    return answer(404, error("relay not found"));
                }
                try {
                    ObjectNode merged = configs.get(id).deepCopy();
                    merge(merged, (ObjectNode) JSON.readTree(body));
                    validate(merged);
                    configs.put(id, merged);
                    return answer(200, "{\"message\":\"relay patched successfully\"}");
                } catch (Exception e) {
                    return answer(400, error(e.getMessage()));
                }
            }
            case "DELETE" -> {
                if (configs.remove(id) == null) {
                    return answer(404, error("relay not found"));
                }
                return answer(200, "{\"message\":\"relay deleted successfully\"}");
            }
            default -> {
                return answer(405, error("method not allowed"));
            }
        }
    }

    /** zooid's create and replace: validate, refuse a host or schema another id holds, then save. */
    private Object[] store(String id, byte[] body, int status, String message) {
        ObjectNode config;
        try {
            config = parseAndValidate(body);
        } catch (IllegalArgumentException e) {
            return answer(400, error(e.getMessage()));
        }
        String duplicate = duplicate(config, id);
        if (duplicate != null) {
            return answer(409, error(duplicate));
        }
        configs.put(id, config);
        history.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(config);
        return answer(status, "{\"message\":\"" + message + "\"}");
    }

    private static Object[] answer(int status, String body) {
        return new Object[]{status, body};
    }

    private String duplicate(ObjectNode config, String exceptId) {
        for (Map.Entry<String, ObjectNode> other : configs.entrySet()) {
            if (other.getKey().equals(exceptId)) {
                continue;
            }
            if (other.getValue().path("schema").asText().equals(config.path("schema").asText())) {
                return "schema \"" + config.path("schema").asText() + "\" is already in use";
            }
            if (other.getValue().path("host").asText().equals(config.path("host").asText())) {
                return "host \"" + config.path("host").asText() + "\" is already in use";
            }
        }
        return null;
    }

    private static ObjectNode parseAndValidate(byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid json config: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("invalid json config");
        }
        validate((ObjectNode) node);
        return (ObjectNode) node;
    }

    private static void validate(ObjectNode config) {
        if (config.path("host").asText("").isEmpty()) {
            throw new IllegalArgumentException("host is required");
        }
        String schema = config.path("schema").asText("");
        if (schema.isEmpty()) {
            throw new IllegalArgumentException("schema is required");
        }
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must contain only letters, numbers, and underscores");
        }
        String secret = config.path("secret").asText("");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret is required");
        }
        if (!Hex.isHex(secret, 32) || !Crypto.isValidSecret(Hex.decode(secret, 32))) {
            throw new IllegalArgumentException("invalid secret key");
        }
        if (config.has("inactive") && !config.get("inactive").isBoolean()) {
            throw new IllegalArgumentException("inactive must be a boolean");
        }
        String owner = config.path("info").path("pubkey").asText("");
        if (owner.isEmpty()) {
            throw new IllegalArgumentException("info.pubkey is required");
        }
        try {
            Crypto.liftX(Hex.decode(owner, 32));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid info.pubkey");
        }
    }

    private static void merge(ObjectNode base, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                base.remove(field.getKey());
            } else if (value.isObject() && base.path(field.getKey()).isObject()) {
                merge((ObjectNode) base.get(field.getKey()), (ObjectNode) value);
            } else {
                base.set(field.getKey(), value);
            }
        }
    }

    /** zooid's NIP-98 check (u = scheme://Host/path, method), plus the window and payload rules of NIP-98. */
    private String authenticate(HttpExchange exchange, String method, String path, byte[] body) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || header.isEmpty()) {
            return "missing authorization header";
        }
        String[] parts = header.split(" ", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("nostr")) {
            return "invalid authorization header format";
        }
        Event event;
        try {
            event = Event.fromJson(new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return "invalid event json";
        }
        if (event.kind() != 27235) {
            return "invalid event kind";
        }
        if (!event.verify()) {
            return "invalid event signature";
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - event.createdAt()) > 60) {
            return "event too old or in the future";
        }
        String expectedUrl = "http://" + exchange.getRequestHeaders().getFirst("Host") + path;
        if (!event.tagValue("u").map(expectedUrl::equals).orElse(false)) {
            return "event missing or invalid u tag";
        }
        if (!event.tagValue("method").map(m -> m.equalsIgnoreCase(method)).orElse(false)) {
            return "event missing or invalid method tag";
        }
        var payload = event.tagValue("payload");
        if (body.length > 0 && (payload.isEmpty() || !payload.get().equals(Hex.encode(Crypto.sha256(body))))) {
            return "event missing or invalid payload tag";
        }
        if (!whitelist.contains(event.pubkey())) {
            return "pubkey not in whitelist";
        }
        return null;
    }

    private static String error(String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("error", message);
        return node.toString();
    }
}
