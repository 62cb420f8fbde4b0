package app.caravel.nostr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A NIP-47 client for many calls at once. It asks the wallet's relays for its info event to pick the
 * encryption (nip44_v2 when offered, else nip04), publishes each request to every wallet relay and waits, at
 * most {@code timeout}, for the first response that names it. Responses arrive on one shared subscription per
 * (relay, wallet, client key), opened before the first request and matched to callers by request id, so a
 * thousand calls to the platform wallet cost one subscription, not a thousand. At most
 * {@code maxInFlightPerRelay} calls wait on one relay at a time, so a wallet relay is not flooded; the rest wait
 * their turn (within their timeout).
 */
public final class NwcClient {
    private final RelayPool relays;
    private final Clock clock;
    private final Duration timeout;
    private final int maxInFlightPerRelay;
    private final Map<String, Nip47.Encryption> encryptionByWallet = new ConcurrentHashMap<>();
    private final Map<String, Responses> responses = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    public NwcClient(RelayPool relays, Clock clock, Duration timeout) {
        this(relays, clock, timeout, 64);
    }

    public NwcClient(RelayPool relays, Clock clock, Duration timeout, int maxInFlightPerRelay) {
        this.relays = relays;
        this.clock = clock;
        this.timeout = timeout;
        this.maxInFlightPerRelay = maxInFlightPerRelay;
    }

    public JsonNode call(NwcUri wallet, String method, ObjectNode params) throws NwcException {
        Nip47.Encryption encryption = encryption(wallet);
        Event request = Nip47.request(wallet, encryption, method, params, clock.instant().getEpochSecond());
        CompletableFuture<Event> answer = new CompletableFuture<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> listening = new ArrayList<>();
        List<Semaphore> held = new ArrayList<>();
        try {
            for (String url : wallet.relays()) {
                Semaphore slots = inFlight.computeIfAbsent(url, u -> new Semaphore(maxInFlightPerRelay, true));
                if (!slots.tryAcquire(left(deadline), TimeUnit.NANOSECONDS)) {
                    continue; // this relay is busy past our timeout; the others may do
                }
                held.add(slots);
                try {
                    responses.computeIfAbsent(key(url, wallet), k -> new Responses(url, wallet))
                            .expect(request.id(), answer, deadline);
                    listening.add(url);
                } catch (ExecutionException | TimeoutException e) {
                    // this relay is unreachable; the others may do
                }
            }
            if (listening.isEmpty()) {
                throw NwcException.noAnswer("no wallet relay reachable");
            }
            relays.publish(request, listening, Duration.ofNanos(left(deadline)));
            Event response = answer.get(left(deadline), TimeUnit.NANOSECONDS);
            Nip47.Response read = Nip47.readResponse(response, wallet, encryption);
            if (!read.ok()) {
                throw NwcException.refused(read.error().code(), read.error().message());
            }
            return read.result();
        } catch (TimeoutException e) {
            throw NwcException.noAnswer("the wallet did not answer " + method + " within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw NwcException.unreadable("unreadable answer: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NwcException.noAnswer("interrupted");
        } catch (IllegalArgumentException e) {
            throw NwcException.unreadable("unreadable answer: " + e.getMessage());
        } finally {
            for (String url : listening) {
                responses.get(key(url, wallet)).forget(request.id());
            }
            held.forEach(Semaphore::release);
        }
    }

    private static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static String key(String url, NwcUri wallet) {
        return url + " " + wallet.walletPubkey() + " " + wallet.client().pubkey();
    }

    /**
     * The responses of one wallet to one client on one relay: a subscription opened when the first caller
     * waits and closed when the last one is done, each response handed to the caller whose request it names.
     */
    private final class Responses {
        private final String url;
        private final Filter filter;
        private final Map<String, CompletableFuture<Event>> waiting = new ConcurrentHashMap<>();
        private RelayConnection.Subscription subscription;

        Responses(String url, NwcUri wallet) {
            this.url = url;
            this.filter = new Filter(null, List.of(wallet.walletPubkey()), List.of(Nip47.RESPONSE),
                    Map.of("p", List.of(wallet.client().pubkey())), null, null, null);
        }

        /** Registers the caller, then makes sure the subscription is live (past its EOSE) before returning. */
        synchronized void expect(String requestId, CompletableFuture<Event> answer, long deadline)
                throws ExecutionException, TimeoutException, InterruptedException {
            waiting.put(requestId, answer);
            if (subscription != null && subscription.isLive()) {
                return;
            }
            try {
                RelayConnection connection = relays.connection(url).get(left(deadline), TimeUnit.NANOSECONDS);
                subscription = connection.subscribe(List.of(filter), this::deliver, Duration.ofNanos(left(deadline)));
                subscription.eose().get(left(deadline), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                waiting.remove(requestId);
                throw e;
            }
        }

        private void deliver(Event response) {
            response.tagValue("e").map(waiting::remove).ifPresent(caller -> caller.complete(response));
        }

        synchronized void forget(String requestId) {
            waiting.remove(requestId);
            if (waiting.isEmpty() && subscription != null) {
                subscription.close();
                subscription = null;
            }
        }
    }

    /**
     * The wallet's announced encryption (kind 13194), remembered per wallet once seen; a wallet that
     * announces nothing gets nip04, the scheme every NWC wallet speaks, and is asked again next time.
     */
    private Nip47.Encryption encryption(NwcUri wallet) {
        Nip47.Encryption known = encryptionByWallet.get(wallet.walletPubkey());
        if (known != null) {
            return known;
        }
        return relays.query(wallet.relays(), List.of(Filter.authorsKinds(List.of(wallet.walletPubkey()),
                        List.of(Nip47.INFO))), timeout).stream()
                .max(Comparator.comparingLong(Event::createdAt))
                .map(info -> {
                    Nip47.Encryption chosen = Nip47.Encryption.choose(info);
                    encryptionByWallet.put(wallet.walletPubkey(), chosen);
                    return chosen;
                })
                .orElse(Nip47.Encryption.NIP04);
    }
}
