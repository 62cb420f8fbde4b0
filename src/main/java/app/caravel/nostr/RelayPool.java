package app.caravel.nostr;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Several relays at once. Connections are kept and reopened on the next use after they drop (reconnect),
 * and every operation waits at most its timeout across all relays together.
 */
public final class RelayPool implements AutoCloseable {
    private final HttpClient http;
    private final Duration connectTimeout;
    private final Map<String, CompletableFuture<RelayConnection>> connections = new ConcurrentHashMap<>();

    public RelayPool(HttpClient http, Duration connectTimeout) {
        this.http = http;
        this.connectTimeout = connectTimeout;
    }

    /** What one relay said about one publish: an OK (accepted or not), or why it could not answer. */
    public record PublishResult(String relay, boolean accepted, String message) {
    }

    public CompletableFuture<RelayConnection> connection(String url) {
        return connections.compute(url, (key, existing) -> {
            if (existing != null && (!existing.isDone() || isUsable(existing))) {
                return existing;
            }
            return RelayConnection.open(http, url, connectTimeout);
        });
    }

    private static boolean isUsable(CompletableFuture<RelayConnection> future) {
        return !future.isCompletedExceptionally() && future.join().isOpen();
    }

    /** Publishes to every relay in parallel and reports each one's answer, within {@code timeout}. */
    public Map<String, PublishResult> publish(Event event, List<String> relays, Duration timeout) {
        Map<String, CompletableFuture<PublishResult>> futures = new LinkedHashMap<>();
        for (String relay : relays) {
            futures.put(relay, connection(relay)
                    .thenCompose(c -> c.publish(event, timeout))
                    .thenApply(ok -> new PublishResult(relay, ok.accepted(), ok.message()))
                    .exceptionally(e -> new PublishResult(relay, false, "error: " + describe(e))));
        }
        Map<String, PublishResult> results = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        futures.forEach((relay, future) -> results.put(relay, await(future, deadline,
                new PublishResult(relay, false, "error: timed out"))));
        return results;
    }

    /** Stored events from all relays until each one's EOSE (or the deadline), verified and de-duplicated. */
    public List<Event> query(List<String> relays, List<Filter> filters, Duration timeout) {
        List<CompletableFuture<List<Event>>> futures = new ArrayList<>();
        for (String relay : relays) {
            futures.add(connection(relay).thenCompose(c -> c.query(filters, timeout)).exceptionally(e -> List.of()));
        }
        Map<String, Event> unique = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<List<Event>> future : futures) {
            for (Event event : await(future, deadline, List.<Event>of())) {
                unique.putIfAbsent(event.id(), event);
            }
        }
        return List.copyOf(unique.values());
    }

    private static <T> T await(CompletableFuture<T> future, long deadlineNanos, T fallback) {
        try {
            long left = Math.max(0, deadlineNanos - System.nanoTime());
            return future.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return fallback;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    @Override
    public void close() {
        connections.values().forEach(f -> f.thenAccept(RelayConnection::close));
        connections.clear();
    }
}
