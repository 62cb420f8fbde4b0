package app.caravel.nostr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One NIP-01 websocket to one relay. Every wait is bounded: publishes complete on the relay's {@code OK}
 * or time out, queries complete on {@code EOSE}/{@code CLOSED} or time out. Events a relay sends are
 * verified before anyone sees them. When the socket closes, everything pending fails at once.
 */
public final class RelayConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayConnection.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A relay's verdict on one event: {@code ["OK", id, accepted, message]}. */
    public record Ok(String relay, String eventId, boolean accepted, String message) {
    }

    private final String url;
    private final Map<String, CompletableFuture<Ok>> pendingOks = new ConcurrentHashMap<>();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong subscriptionCounter = new AtomicLong();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile WebSocket socket;
    private volatile String lastNotice;

    private RelayConnection(String url) {
        this.url = url;
    }

    public static CompletableFuture<RelayConnection> open(HttpClient http, String url, Duration timeout) {
        RelayConnection connection = new RelayConnection(url);
        return http.newWebSocketBuilder()
                .connectTimeout(timeout)
                .buildAsync(URI.create(url), connection.new Listener())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(ws -> {
                    connection.socket = ws;
                    return connection;
                });
    }

    public String url() {
        return url;
    }

    public boolean isOpen() {
        WebSocket ws = socket;
        return ws != null && !closed.isDone() && !ws.isOutputClosed() && !ws.isInputClosed();
    }

    /** Nothing in flight: no open subscription, no publish waiting for its OK. */
    public boolean isIdle() {
        return subscriptions.isEmpty() && pendingOks.isEmpty();
    }

    public String lastNotice() {
        return lastNotice;
    }

    /** Sends the event and completes with the relay's OK for its id, or fails after {@code timeout}. */
    public CompletableFuture<Ok> publish(Event event, Duration timeout) {
        CompletableFuture<Ok> ok = new CompletableFuture<>();
        CompletableFuture<Ok> previous = pendingOks.putIfAbsent(event.id(), ok);
        if (previous != null) {
            return previous;
        }
        ok.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> pendingOks.remove(event.id(), ok));
        ArrayNode message = JSON.createArrayNode().add("EVENT");
        try {
            message.add(JSON.readTree(event.toJson()));
        } catch (Exception e) {
            ok.completeExceptionally(e);
            return ok;
        }
        send(message.toString()).exceptionally(e -> {
            ok.completeExceptionally(e);
            return null;
        });
        return ok;
    }

    /**
     * Opens a subscription; {@code onEvent} sees every verified, matching event (stored and live). The
     * returned future completes with the stored events at EOSE (or CLOSED), or fails after {@code timeout}.
     */
    public Subscription subscribe(List<Filter> filters, Consumer<Event> onEvent, Duration timeout) {
        String id = "c" + subscriptionCounter.incrementAndGet();
        Subscription subscription = new Subscription(id, filters, onEvent);
        subscriptions.put(id, subscription);
        subscription.eose.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ArrayNode message = JSON.createArrayNode().add("REQ").add(id);
        filters.forEach(f -> message.add(f.toJson()));
        send(message.toString()).exceptionally(e -> {
            subscription.eose.completeExceptionally(e);
            return null;
        });
        return subscription;
    }

    /** Stored events matching the filters, collected until EOSE; the subscription is then closed. */
    public CompletableFuture<List<Event>> query(List<Filter> filters, Duration timeout) {
        Subscription subscription = subscribe(filters, e -> { }, timeout);
        return subscription.eose.whenComplete((events, e) -> subscription.close());
    }

    public final class Subscription implements AutoCloseable {
        private final String id;
        private final List<Filter> filters;
        private final Consumer<Event> onEvent;
        private final List<Event> stored = new ArrayList<>();
        private final CompletableFuture<List<Event>> eose = new CompletableFuture<>();
        private volatile String closedReason;

        private Subscription(String id, List<Filter> filters, Consumer<Event> onEvent) {
            this.id = id;
            this.filters = filters;
            this.onEvent = onEvent;
        }

        public CompletableFuture<List<Event>> eose() {
            return eose;
        }

        /** Still open on a live connection: not closed by us, nor by the relay, nor by a dropped socket. */
        public boolean isLive() {
            return subscriptions.get(id) == this && isOpen();
        }

        /** The relay's CLOSED message, if it ended this subscription. */
        public String closedReason() {
            return closedReason;
        }

        private void accept(Event event) {
            if (filters.stream().noneMatch(f -> f.matches(event))) {
                return;
            }
            synchronized (stored) {
                if (!eose.isDone()) {
                    stored.add(event);
                }
            }
            onEvent.accept(event);
        }

        private void endOfStored() {
            synchronized (stored) {
                eose.complete(List.copyOf(stored));
            }
        }

        @Override
        public void close() {
            if (subscriptions.remove(id) != null && isOpen()) {
                send(JSON.createArrayNode().add("CLOSE").add(id).toString());
            }
        }
    }

    private synchronized CompletableFuture<WebSocket> send(String text) {
        WebSocket ws = socket;
        if (ws == null || !isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("relay " + url + " is not connected"));
        }
        // java.net.http allows one outstanding send at a time; join keeps frames whole and in order.
        try {
            return CompletableFuture.completedFuture(ws.sendText(text, true).get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void onMessage(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (Exception e) {
            LOG.debug("{}: unreadable message", url);
            return;
        }
        if (!message.isArray() || message.isEmpty()) {
            return;
        }
        switch (message.get(0).asText()) {
            case "OK" -> {
                CompletableFuture<Ok> ok = pendingOks.get(message.path(1).asText());
                if (ok != null) {
                    ok.complete(new Ok(url, message.path(1).asText(), message.path(2).asBoolean(false),
                            message.path(3).asText("")));
                }
            }
            case "EVENT" -> {
                Subscription subscription = subscriptions.get(message.path(1).asText());
                if (subscription == null) {
                    return;
                }
                try {
                    Event event = Event.fromNode(message.get(2));
                    if (event.verify()) {
                        subscription.accept(event);
                    } else {
                        LOG.debug("{}: dropped an event with a bad id or signature", url);
                    }
                } catch (IllegalArgumentException e) {
                    LOG.debug("{}: dropped a malformed event", url);
                }
            }
            case "EOSE" -> {
                Subscription subscription = subscriptions.get(message.path(1).asText());
                if (subscription != null) {
                    subscription.endOfStored();
                }
            }
            case "CLOSED" -> {
                Subscription subscription = subscriptions.remove(message.path(1).asText());
                if (subscription != null) {
                    subscription.closedReason = message.path(2).asText("");
                    subscription.endOfStored();
                }
            }
            case "NOTICE" -> {
                lastNotice = message.path(1).asText("");
                LOG.info("{} says: {}", url, lastNotice);
            }
            default -> { }
        }
    }

    private void fail(Throwable cause) {
        closed.complete(null);
        IllegalStateException gone = new IllegalStateException("relay " + url + " disconnected", cause);
        pendingOks.values().forEach(f -> f.completeExceptionally(gone));
        subscriptions.values().forEach(s -> s.eose.completeExceptionally(gone));
        subscriptions.clear();
    }

    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws != null && isOpen()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null);
        }
        fail(null);
        if (ws != null) {
            ws.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onMessage(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            fail(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fail(error);
        }
    }
}
