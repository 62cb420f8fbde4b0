package app.caravel.support;

import app.caravel.nostr.Event;
import app.caravel.nostr.Filter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.util.ArrayList;
import java.util.Comparator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small NIP-01 relay in the test JVM, on a real Jetty websocket: verifies ids and signatures, stores
 * events, replaces replaceable (0, 3, 1xxxx) and addressable (3xxxx by d tag) ones, drops ephemeral ones
 * after broadcasting, answers REQ with stored events then EOSE and streams live ones until CLOSE.
 * Tests can make it refuse events, stay silent, end subscriptions with CLOSED, or go down and come back.
 */
public final class TestRelay implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Event> stored = new CopyOnWriteArrayList<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger eventsReceived = new AtomicInteger();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private volatile Function<Event, String> rejection = e -> null;
    private volatile boolean silent;
    private volatile String closeSubscriptionsWith;
    private Server server;
    private int port;

    public static TestRelay start() throws Exception {
        TestRelay relay = new TestRelay();
        relay.startOn(0);
        return relay;
    }

    public synchronized void startOn(int wanted) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(wanted);
        connector.setIdleTimeout(Duration.ofMinutes(30).toMillis());
        server.addConnector(connector);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(1 << 20);
            // real relays keep quiet connections open (with pings); Jetty's default 30 s idle timeout would
            // silently drop a wallet double's only subscription in the middle of a long test
            container.setIdleTimeout(Duration.ofMinutes(30));
            container.addMapping("/", (request, response, callback) -> new Connection());
        }));
        server.start();
        port = connector.getLocalPort();
    }

    /** Goes down, dropping every connection; {@link #restart()} brings it back on the same port. */
    public synchronized void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
        connections.clear();
    }

    public void restart() throws Exception {
        startOn(port);
    }

    public String url() {
        return "ws://127.0.0.1:" + port;
    }

    public List<Event> events() {
        return List.copyOf(stored);
    }

    public List<Event> events(int kind) {
        return stored.stream().filter(e -> e.kind() == kind).toList();
    }

    /** Websockets ever opened to this relay. */
    public int connectionsOpened() {
        return connectionsOpened.get();
    }

    /** Websockets open now, as the relay's side sees them (it may learn of one after the client does). */
    public int connectionsOpen() {
        return connections.size();
    }

    public int eventsReceived() {
        return eventsReceived.get();
    }

    /** A non-null answer refuses the event with that message ("blocked: …"). */
    public void rejectWhen(Function<Event, String> rule) {
        this.rejection = rule;
    }

    /** Accepts and stores, but never answers OK: for the client's timeouts. */
    public void setSilent(boolean silent) {
        this.silent = silent;
    }

    public void closeSubscriptionsWith(String reason) {
        this.closeSubscriptionsWith = reason;
    }

    /** Sends a NOTICE to every connected client. */
    public void notice(String text) {
        connections.forEach(c -> c.send(JSON.createArrayNode().add("NOTICE").add(text)));
    }

    public void store(Event event) {
        accept(event);
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private synchronized boolean accept(Event event) {
        if (stored.stream().anyMatch(e -> e.id().equals(event.id()))) {
            return false;
        }
        if (event.kind() >= 20000 && event.kind() < 30000) {
            return true;
        }
        if (event.isReplaceable() || event.kind() >= 30000 && event.kind() < 40000) {
            String d = event.tagValue("d").orElse("");
            List<Event> same = stored.stream().filter(e -> e.pubkey().equals(event.pubkey()) && e.kind() == event.kind()
                    && (event.isReplaceable() || e.tagValue("d").orElse("").equals(d))).toList();
            if (same.stream().anyMatch(e -> e.createdAt() > event.createdAt()
                    || e.createdAt() == event.createdAt() && e.id().compareTo(event.id()) < 0)) {
                return true;
            }
            stored.removeAll(same);
        }
        stored.add(event);
        return true;
    }

    public final class Connection extends Session.Listener.AbstractAutoDemanding {
        private final Map<String, List<Filter>> subscriptions = new ConcurrentHashMap<>();

        @Override
        public void onWebSocketOpen(Session session) {
            super.onWebSocketOpen(session);
            connections.add(this);
            connectionsOpened.incrementAndGet();
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            connections.remove(this);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // a client that vanished (a test closing its pool) is normal here
            connections.remove(this);
        }

        @Override
        public void onWebSocketText(String text) {
            try {
                JsonNode message = JSON.readTree(text);
                switch (message.path(0).asText()) {
                    case "EVENT" -> onEvent(message.get(1));
                    case "REQ" -> onReq(message);
                    case "CLOSE" -> subscriptions.remove(message.path(1).asText());
                    default -> send(JSON.createArrayNode().add("NOTICE").add("unknown message type"));
                }
            } catch (Exception e) {
                send(JSON.createArrayNode().add("NOTICE").add("could not parse message: " + e.getMessage()));
            }
        }

        private void onEvent(JsonNode node) {
            eventsReceived.incrementAndGet();
            Event event;
            try {
                event = Event.fromNode(node);
            } catch (IllegalArgumentException e) {
                send(JSON.createArrayNode().add("NOTICE").add("invalid: " + e.getMessage()));
                return;
            }
            if (silent) {
                accept(event);
                return;
            }
            if (!event.hasValidId()) {
                ok(event, false, "invalid: event id does not match");
                return;
            }
            if (!event.verify()) {
                ok(event, false, "invalid: bad signature");
                return;
            }
            String refusal = rejection.apply(event);
            if (refusal != null) {
                ok(event, false, refusal);
                return;
            }
            boolean fresh = accept(event);
            ok(event, true, fresh ? "" : "duplicate: already have this event");
            if (fresh) {
                for (Connection connection : connections) {
                    connection.broadcast(event);
                }
            }
        }

        private void onReq(JsonNode message) {
            String id = message.path(1).asText();
            if (closeSubscriptionsWith != null) {
                send(JSON.createArrayNode().add("CLOSED").add(id).add(closeSubscriptionsWith));
                return;
            }
            List<Filter> filters = new ArrayList<>();
            for (int i = 2; i < message.size(); i++) {
                filters.add(Filter.fromJson(message.get(i)));
            }
            subscriptions.put(id, filters);
            List<Event> matches = new ArrayList<>();
            for (Filter filter : filters) {
                List<Event> hits = stored.stream().filter(filter::matches)
                        .sorted(Comparator.comparingLong(Event::createdAt).reversed()).toList();
                matches.addAll(filter.limit() == null ? hits : hits.subList(0, Math.min(filter.limit(), hits.size())));
            }
            matches.stream().distinct().forEach(e -> sendEvent(id, e));
            send(JSON.createArrayNode().add("EOSE").add(id));
        }

        private void broadcast(Event event) {
            subscriptions.forEach((id, filters) -> {
                if (filters.stream().anyMatch(f -> f.matches(event))) {
                    sendEvent(id, event);
                }
            });
        }

        private void sendEvent(String subscription, Event event) {
            try {
                send(JSON.createArrayNode().add("EVENT").add(subscription).add(JSON.readTree(event.toJson())));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private void ok(Event event, boolean accepted, String message) {
            send(JSON.createArrayNode().add("OK").add(event.id()).add(accepted).add(message));
        }

        private synchronized void send(ArrayNode message) {
            Session session = getSession();
            if (session != null && session.isOpen()) {
                session.sendText(message.toString(), Callback.NOOP);
            }
        }
    }
}
