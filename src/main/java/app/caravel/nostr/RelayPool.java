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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Several relays at once. Connections are kept and reopened on the next use after they drop (reconnect),
 * and every operation waits at most its timeout across all relays together. The pool is bounded: a
 * connection unused for {@link Limits#idle()} with nothing in flight is closed, at most
 * {@link Limits#maxConnections()} are open, and a URL the {@link RelayAddressPolicy} does not trust is
 * checked before it is connected to (tenants supply relay URLs: NWC URIs, relay lists).
 */
public final class RelayPool implements AutoCloseable {
    /** How many connections may be open at once, and how long an unused one stays open. */
    public record Limits(int maxConnections, Duration idle) {
        public static final Limits DEFAULT = new Limits(256, Duration.ofMinutes(2));
    }

    private final HttpClient http;
    private final Duration connectTimeout;
    private final Limits limits;
    private final RelayAddressPolicy policy;
    private final Map<String, CompletableFuture<RelayConnection>> connections = new ConcurrentHashMap<>();
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;

    /** A pool that trusts every address: for test doubles and tools, not for the service. */
    public RelayPool(HttpClient http, Duration connectTimeout) {
        this(http, connectTimeout, Limits.DEFAULT, RelayAddressPolicy.any());
    }

    public RelayPool(HttpClient http, Duration connectTimeout, Limits limits, RelayAddressPolicy policy) {
        this.http = http;
        this.connectTimeout = connectTimeout;
        this.limits = limits;
        this.policy = policy;
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "relay-pool-reaper");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(50, limits.idle().toMillis() / 4);
        reaper.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.MILLISECONDS);
    }

    /** What one relay said about one publish: an OK (accepted or not), or why it could not answer. */
    public record PublishResult(String relay, boolean accepted, String message) {
    }

    public CompletableFuture<RelayConnection> connection(String url) {
        lastUsed.put(url, System.nanoTime());
        CompletableFuture<RelayConnection> existing = connections.get(url);
        if (existing != null && (!existing.isDone() || isUsable(existing))) {
            return existing;
        }
        try {
            policy.check(url);
        } catch (IllegalArgumentException refused) {
            lastUsed.remove(url);
            return CompletableFuture.failedFuture(refused);
        }
        if (!connections.containsKey(url) && connections.size() >= limits.maxConnections()) {
            closeIdle();
            if (connections.size() >= limits.maxConnections()) {
                lastUsed.remove(url);
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "relay connection limit reached (" + limits.maxConnections() + " open)"));
            }
        }
        return connections.compute(url, (key, current) -> {
            if (current != null && (!current.isDone() || isUsable(current))) {
                return current;
            }
            return RelayConnection.open(http, url, connectTimeout);
        });
    }

    /** Open connections, for the health check and tests. */
    public int size() {
        return connections.size();
    }

    /** Closes connections unused for longer than the idle limit that have nothing in flight, and dead ones. */
    void closeIdle() {
        long cutoff = System.nanoTime() - limits.idle().toNanos();
        for (Map.Entry<String, CompletableFuture<RelayConnection>> entry : connections.entrySet()) {
            CompletableFuture<RelayConnection> future = entry.getValue();
            if (!future.isDone()) {
                continue;
            }
            boolean dead = future.isCompletedExceptionally() || !future.join().isOpen();
            boolean idle = lastUsed.getOrDefault(entry.getKey(), 0L) < cutoff && !dead && future.join().isIdle();
            if ((dead || idle) && connections.remove(entry.getKey(), future)) {
                lastUsed.remove(entry.getKey());
                if (idle) {
                    future.join().close();
                }
            }
        }
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
        reaper.shutdownNow();
        connections.values().forEach(f -> f.thenAccept(RelayConnection::close));
        connections.clear();
    }
}
