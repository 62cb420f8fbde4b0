package app.caravel.robot;

import app.caravel.nostr.Event;
import app.caravel.nostr.Filter;
import app.caravel.nostr.RelayPool;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where to deliver a DM (NIP-17): the recipient's kind 10050 relays, else the read relays of its kind
 * 10002, else the robot's own messaging relays. Answers are cached for {@code ttl} so a burst of DMs to
 * one tenant asks the indexers once.
 */
public final class InboxRelays {
    private final RelayPool relays;
    private final List<String> indexers;
    private final List<String> fallback;
    private final Clock clock;
    private final Duration ttl;
    private final Duration timeout;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(List<String> relays, long expiresAt) {
    }

    public InboxRelays(RelayPool relays, List<String> indexers, List<String> fallback, Clock clock, Duration ttl,
                       Duration timeout) {
        this.relays = relays;
        this.indexers = List.copyOf(indexers);
        this.fallback = List.copyOf(fallback);
        this.clock = clock;
        this.ttl = ttl;
        this.timeout = timeout;
    }

    public List<String> of(String pubkey) {
        long now = clock.millis();
        Cached cached = cache.get(pubkey);
        if (cached != null && cached.expiresAt() > now) {
            return cached.relays();
        }
        List<String> found = lookup(pubkey);
        if (!found.equals(fallback)) {
            cache.put(pubkey, new Cached(found, now + ttl.toMillis()));
        }
        return found;
    }

    private List<String> lookup(String pubkey) {
        List<Event> lists = relays.query(indexers, List.of(Filter.authorsKinds(List.of(pubkey),
                List.of(RobotProfile.DM_RELAYS, RobotProfile.RELAY_LIST))), timeout);
        Optional<List<String>> dm = newest(lists, RobotProfile.DM_RELAYS)
                .map(e -> e.tagValues("relay")).filter(l -> !l.isEmpty());
        if (dm.isPresent()) {
            return dm.get();
        }
        Optional<List<String>> read = newest(lists, RobotProfile.RELAY_LIST).map(e -> e.tags().stream()
                .filter(t -> t.size() > 1 && t.get(0).equals("r") && (t.size() == 2 || t.get(2).equals("read")))
                .map(t -> t.get(1)).toList()).filter(l -> !l.isEmpty());
        return read.orElse(fallback);
    }

    private static Optional<Event> newest(List<Event> events, int kind) {
        return events.stream().filter(e -> e.kind() == kind).max(Comparator.comparingLong(Event::createdAt));
    }
}
