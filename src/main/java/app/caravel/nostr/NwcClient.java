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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A NIP-47 client: asks the wallet's relays for its info event to pick the encryption (nip44_v2 when
 * offered, else nip04), subscribes for the answer before sending the request, publishes it to every wallet
 * relay and waits, at most {@code timeout}, for the first response that names the request.
 */
public final class NwcClient {
    private final RelayPool relays;
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, Nip47.Encryption> encryptionByWallet = new ConcurrentHashMap<>();

    public NwcClient(RelayPool relays, Clock clock, Duration timeout) {
        this.relays = relays;
        this.clock = clock;
        this.timeout = timeout;
    }

    public JsonNode call(NwcUri wallet, String method, ObjectNode params) throws NwcException {
        Nip47.Encryption encryption = encryption(wallet);
        Event request = Nip47.request(wallet, encryption, method, params, clock.instant().getEpochSecond());
        CompletableFuture<Event> answer = new CompletableFuture<>();
        Filter responses = Filter.authorsKinds(List.of(wallet.walletPubkey()), List.of(Nip47.RESPONSE))
                .withTag("e", List.of(request.id()));
        List<RelayConnection.Subscription> subscriptions = new ArrayList<>();
        try {
            for (String url : wallet.relays()) {
                try {
                    RelayConnection connection = relays.connection(url).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    RelayConnection.Subscription subscription = connection.subscribe(List.of(responses),
                            answer::complete, timeout);
                    subscriptions.add(subscription);
                    subscription.eose().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // this relay is unreachable; the others may do
                }
            }
            if (subscriptions.isEmpty()) {
                throw NwcException.noAnswer("no wallet relay reachable");
            }
            relays.publish(request, wallet.relays(), timeout);
            Event response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
            subscriptions.forEach(RelayConnection.Subscription::close);
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
