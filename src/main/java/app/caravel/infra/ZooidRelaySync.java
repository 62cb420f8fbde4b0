package app.caravel.infra;

import app.caravel.billing.BillingAnchor;
import app.caravel.billing.Plans;
import app.caravel.db.Activity;
import app.caravel.db.ActivityDao;
import app.caravel.db.Database;
import app.caravel.db.Ids;
import app.caravel.nostr.Crypto;
import app.caravel.nostr.Hex;
import app.caravel.db.Relay;
import app.caravel.db.RelayDao;
import com.fasterxml.jackson.databind.JsonNode;
import app.caravel.robot.Messages;
import app.caravel.robot.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.time.Duration;

/**
 * Converges zooid to one relay's current row (SPEC §5.1). A relay that is `new` or `active` must be served
 * with exactly its config; an `inactive` or `delinquent` one keeps its config with {@code inactive: true}. One run
 * at a time per relay, in any process: a run first takes the relay's lease in the database (it expires if the
 * holder dies), reads the row afresh and only converges, so any number of runs, in any order, end in the same
 * state; a run finding zooid already holding the row's config pushes nothing.
 *
 * Failures come in two kinds: transient (zooid unreachable, 5xx, our key refused) are recorded and thrown
 * for JobRunr to retry with backoff; permanent (zooid refuses the config, or the host/schema belongs to
 * another relay on zooid) are recorded with a clear message and not retried: only a person can fix them.
 */
public final class ZooidRelaySync implements RelaySync {
    private static final Logger LOG = LoggerFactory.getLogger(ZooidRelaySync.class);
    private static final List<String> PAID_PLANS = Plans.ALL.stream().filter(p -> p.isPaid()).map(p -> p.id()).toList();
    public static final String CONFLICT = "conflict: ";

    private final Database db;
    private final ZooidClient zooid;
    private final RelayConfigs configs;
    private final Clock clock;
    private final Notifier notifier;
    /** Longer than a run can take (two zooid calls of at most 15 s, and the recording). */
    static final Duration LEASE = Duration.ofSeconds(90);
    private static final Duration CLAIM_POLL = Duration.ofMillis(50);

    public ZooidRelaySync(Database db, ZooidClient zooid, RelayConfigs configs, Clock clock, Notifier notifier) {
        this.db = db;
        this.zooid = zooid;
        this.configs = configs;
        this.clock = clock;
        this.notifier = notifier;
    }

    private enum Kind { DONE, TRANSIENT, PERMANENT }

    private record Outcome(Kind kind, String message) {
        static final Outcome DONE = new Outcome(Kind.DONE, null);
    }

    @Override
    public void sync(String relayId) throws ZooidSyncException, InterruptedException {
        String token = Ids.random();
        if (!claim(relayId, token)) {
            return;
        }
        try {
            converge(relayId);
        } finally {
            db.relays().releaseSync(relayId, token);
        }
    }

    /**
     * Waits for the relay's lease (another run, maybe in another process, is pushing it) for at most one lease
     * length; false when the relay is gone. A holder that died frees it when its lease runs out.
     */
    private boolean claim(String relayId, String token) throws ZooidSyncException, InterruptedException {
        long deadline = System.nanoTime() + LEASE.plusSeconds(5).toNanos();
        while (true) {
            long now = clock.instant().getEpochSecond();
            if (db.relays().claimSync(relayId, token, now, now + LEASE.toSeconds()) == 1) {
                return true;
            }
            if (db.relays().find(relayId).isEmpty()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new ZooidSyncException("relay " + relayId + " has been held by another sync for over "
                        + LEASE.toSeconds() + " s; will retry");
            }
            Thread.sleep(CLAIM_POLL.toMillis());
        }
    }

    private void converge(String relayId) throws ZooidSyncException, InterruptedException {
        Relay relay = db.relays().find(relayId).orElse(null);
        if (relay == null) {
            return;
        }
        String digest = digest(configs.of(relay));
        if (relay.syncError() == null && digest.equals(db.relays().syncedConfig(relayId).orElse(null))) {
            return; // zooid confirmed exactly this config already (a later run took this change with it)
        }
        boolean serve = Relay.NEW.equals(relay.status()) || Relay.ACTIVE.equals(relay.status());
        Outcome outcome;
        try {
            outcome = serve ? serve(relay) : pause(relay);
        } catch (IOException e) {
            outcome = new Outcome(Kind.TRANSIENT, "zooid unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        record(relay, digest, serve, outcome);
        if (outcome.kind() == Kind.TRANSIENT) {
            throw new ZooidSyncException(outcome.message());
        }
    }

    /** Replace when zooid should know the relay, create otherwise; each falls back to the other once. */
    private Outcome serve(Relay relay) throws IOException, InterruptedException {
        JsonNode config = configs.of(relay);
        if (relay.syncedAt() != null) {
            ZooidClient.Answer replaced = zooid.replace(relay.id(), config);
            if (replaced.status() != 404) {
                return classify(replaced, relay);
            }
            return classify(zooid.create(relay.id(), config), relay);
        }
        ZooidClient.Answer created = zooid.create(relay.id(), config);
        if (created.status() != 409) {
            return classify(created, relay);
        }
        ZooidClient.Answer replaced = zooid.replace(relay.id(), config);
        if (replaced.status() == 404) {
            // 409 on create but no relay with our id: the host or schema belongs to another relay on zooid
            return conflict(created, relay);
        }
        return classify(replaced, relay);
    }

    /**
     * An inactive or delinquent relay keeps its config on zooid with {@code inactive: true} (never a DELETE, which
     * would throw away its members and events); zooid not knowing it means there is nothing to stop.
     */
    private Outcome pause(Relay relay) throws IOException, InterruptedException {
        ZooidClient.Answer paused = zooid.replace(relay.id(), configs.of(relay));
        return paused.status() == 404 ? Outcome.DONE : classify(paused, relay);
    }

    /** A digest of the config (the relay's key is in it, so only a digest is kept beside the row). */
    private static String digest(JsonNode config) {
        return Hex.encode(Crypto.sha256(config.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private Outcome classify(ZooidClient.Answer answer, Relay relay) {
        if (answer.ok()) {
            return Outcome.DONE;
        }
        return switch (answer.status()) {
            case 409 -> conflict(answer, relay);
            case 400, 422 -> new Outcome(Kind.PERMANENT, "zooid refused the config: " + answer.error());
            case 401, 403 -> new Outcome(Kind.TRANSIENT, "zooid refused our key (" + answer.status()
                    + "): " + answer.error() + "; is ZOOID_API_SECRET's pubkey on zooid's whitelist?");
            default -> new Outcome(Kind.TRANSIENT, "zooid answered " + answer.status() + ": " + answer.error());
        };
    }

    private Outcome conflict(ZooidClient.Answer answer, Relay relay) {
        return new Outcome(Kind.PERMANENT, CONFLICT + "zooid already serves host " + configs.host(relay)
                + " or schema " + relay.schema() + " for another relay (" + answer.error() + ")");
    }

    /** When the current run of failures began: the first failure after the last success. */
    private static Optional<Long> failingSince(List<Activity> history) {
        Long since = null;
        for (Activity entry : history) {
            if ("complete_relay_sync".equals(entry.activityType())) {
                since = null;
            } else if ("fail_relay_sync".equals(entry.activityType()) && since == null) {
                since = entry.createdAt();
            }
        }
        return Optional.ofNullable(since);
    }

    /**
     * Records the outcome against the row as it is now, read inside this transaction: a tenant may have
     * changed the relay while zooid was being called, and billing replays these snapshots.
     */
    private void record(Relay pushed, String pushedDigest, boolean served, Outcome outcome) {
        long now = clock.instant().getEpochSecond();
        db.jdbi().useTransaction(handle -> {
            RelayDao relays = handle.attach(RelayDao.class);
            ActivityDao activity = handle.attach(ActivityDao.class);
            Relay relay = relays.find(pushed.id()).orElse(null);
            if (relay == null) {
                return;
            }
            if (outcome.kind() != Kind.DONE) {
                relays.markSyncFailed(relay.id(), outcome.message());
                activity.insert(Activity.ofRelay("fail_relay_sync", relay, now));
                LOG.warn("relay {} sync failed ({}): {}", relay.id(), outcome.kind(), outcome.message());
                failingSince(activity.forResource(Activity.RELAY, relay.id())).filter(since -> now - since >= 3600)
                        .ifPresent(since -> notifier.notify(handle, relay.tenant(), "sync_failing", Activity.RELAY,
                                relay.id(), "sync_failing:" + relay.id() + ":" + since,
                                Messages.syncFailing(configs.host(relay), outcome.message())));
                return;
            }
            relays.setSyncedConfig(relay.id(), pushedDigest);
            if (relay.updatedAt() == pushed.updatedAt()) {
                // zooid holds this row's config; a row changed meanwhile waits for the sync its change enqueued
                relays.markSynced(relay.id(), now);
            }
            if (served && relays.activateIfNew(relay.id(), now) == 1) {
                Relay active = relays.find(relay.id()).orElseThrow();
                Activity activated = Activity.ofRelay("activate_relay", active, now);
                activity.insert(activated);
                notifier.notify(handle, active.tenant(), "relay_activated", Activity.RELAY, active.id(),
                        "relay_activated:" + activated.id(), Messages.relayActivated(configs.host(active)));
                if (PAID_PLANS.contains(active.plan())
                        && relays.countOtherActivePaid(active.tenant(), active.id(), PAID_PLANS) == 0) {
                    BillingAnchor.onFirstPaidRelay(handle, active.tenant(), now);
                }
            }
            activity.insert(Activity.ofRelay("complete_relay_sync", relays.find(relay.id()).orElseThrow(), now));
        });
    }
}
