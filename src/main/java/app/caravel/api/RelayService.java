package app.caravel.api;

import app.caravel.billing.Plan;
import app.caravel.billing.Plans;
import app.caravel.db.Activity;
import app.caravel.db.Conflicts;
import app.caravel.db.ActivityDao;
import app.caravel.db.InvoiceDao;
import app.caravel.db.Relay;
import app.caravel.db.RelayDao;
import app.caravel.db.SecretBox;
import app.caravel.infra.RelayMembers;
import app.caravel.infra.SyncRelayJob;
import app.caravel.jobs.JobQueue;
import app.caravel.nostr.KeyPair;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.List;
import java.util.UUID;

/**
 * Relay writes. Each one commits the row, its activity entry (plan and status snapshot) and the
 * {@link SyncRelayJob} that will push it to zooid in a single database transaction.
 */
public final class RelayService {
    private final Jdbi jdbi;
    private final JobQueue jobs;
    private final Clock clock;
    private final Duration grace;
    private final RelayMembers members;
    private final SecretBox secrets;

    /** {@code secrets} seals a new relay's key before it is stored. */
    public RelayService(Jdbi jdbi, JobQueue jobs, Clock clock, Duration grace, RelayMembers members, SecretBox secrets) {
        this.secrets = secrets;
        this.jdbi = jdbi;
        this.jobs = jobs;
        this.clock = clock;
        this.grace = grace;
        this.members = members;
    }

    public Relay create(String tenant, Requests.RelayBody body) {
        String subdomain = Validation.subdomain(body.subdomain());
        Plan plan = Validation.plan(body.plan());
        boolean blossom = orElse(body.blossomEnabled(), false);
        boolean livekit = orElse(body.livekitEnabled(), false);
        Validation.features(plan, blossom, livekit);
        String id = UUID.randomUUID().toString();
        long now = clock.instant().getEpochSecond();
        Relay relay = new Relay(id, tenant, subdomain, schemaFor(subdomain, id), Validation.name(body.infoName()),
                Validation.iconUrl(body.infoIcon()), Validation.description(body.infoDescription()), plan.id(),
                Relay.NEW, null, null, secrets.seal(KeyPair.generate().secretHex()), orElse(body.policyPublicJoin(), false),
                orElse(body.policyStripSignatures(), false), orElse(body.groupsEnabled(), true),
                orElse(body.managementEnabled(), true), blossom, livekit, orElse(body.pushEnabled(), false), now, now);
        try {
            return jdbi.inTransaction(handle -> {
                RelayDao.insert(handle, relay); // a taken subdomain fails here, on its unique key, before the debt check
                refuseWhileOverdue(handle, relay, now); // its refusal rolls the insert back
                return recordAndSync(handle, "create_relay", relay, now);
            });
        } catch (RuntimeException e) {
            if (Conflicts.isUniqueViolation(e)) {
                throw new ApiException(ErrorCode.DUPLICATE_SUBDOMAIN, "subdomain '" + subdomain + "' is taken");
            }
            throw e;
        }
    }

    /**
     * Applies the fields present. A plan change switches off features the new plan lacks unless the body
     * asks for them, in which case it is refused (422).
     */
    public Relay update(Relay current, Requests.RelayBody body) {
        Plan plan = body.plan() == null ? Validation.plan(current.plan()) : Validation.plan(body.plan());
        boolean blossom = body.blossomEnabled() != null ? body.blossomEnabled() : current.blossom() && plan.blossom();
        boolean livekit = body.livekitEnabled() != null ? body.livekitEnabled() : current.livekit() && plan.livekit();
        Validation.features(plan, blossom, livekit);
        refuseOverMemberLimit(current, plan);
        long now = clock.instant().getEpochSecond();
        Relay updated = new Relay(current.id(), current.tenant(), current.subdomain(), current.schema(),
                body.infoName() == null ? current.name() : Validation.name(body.infoName()),
                body.infoIcon() == null ? current.icon() : Validation.iconUrl(body.infoIcon()),
                body.infoDescription() == null ? current.description() : Validation.description(body.infoDescription()),
                plan.id(), current.status(), current.syncError(), current.syncedAt(), current.secret(),
                orElse(body.policyPublicJoin(), current.publicJoin()),
                orElse(body.policyStripSignatures(), current.stripSignatures()),
                orElse(body.groupsEnabled(), current.groups()), orElse(body.managementEnabled(), current.management()),
                blossom, livekit, orElse(body.pushEnabled(), current.push()), current.createdAt(), now);
        return jdbi.inTransaction(handle -> {
            if (isUp(current)) {
                refuseWhileOverdue(handle, updated, now);
            }
            handle.attach(RelayDao.class).update(updated);
            return recordAndSync(handle, "update_relay", reload(handle, current.id()), now);
        });
    }

    /** The relay's members as zooid lists them; 503 {@code upstream-unavailable} when zooid can't be asked. */
    public List<String> members(Relay relay) {
        try {
            return members.of(relay.id());
        } catch (RelayMembers.Unavailable e) {
            throw new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE, "cannot get the relay's members: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE, "interrupted while asking zooid for the members");
        }
    }

    /**
     * A move to a plan with a smaller member limit is refused when the relay has more members than it allows
     * (as the original does). zooid holds the members; when it can't be asked, the change is refused (503),
     * never allowed blind. Asked before anything is written, so a refusal changes nothing.
     */
    private void refuseOverMemberLimit(Relay current, Plan plan) {
        Integer limit = plan.members();
        Integer before = Validation.plan(current.plan()).members();
        if (limit == null || plan.id().equals(current.plan()) || (before != null && before <= limit)) {
            return;
        }
        int count = members(current).size();
        if (count > limit) {
            throw new ApiException(ErrorCode.MEMBER_LIMIT, "the relay has " + count + " members; plan '" + plan.id()
                    + "' allows " + limit);
        }
    }

    /**
     * An inactive relay is already off, and a delinquent one stays delinquent (turning it inactive would let
     * it be activated past its debt): both are refused with 400, as the original answers.
     */
    public Relay deactivate(Relay current) {
        if (Relay.INACTIVE.equals(current.status()) || Relay.DELINQUENT.equals(current.status())) {
            throw new ApiException(ErrorCode.RELAY_IS_INACTIVE, "relay is already " + current.status());
        }
        long now = clock.instant().getEpochSecond();
        return jdbi.inTransaction(handle -> {
            handle.attach(RelayDao.class).setStatus(current.id(), Relay.INACTIVE, now);
            return recordAndSync(handle, "deactivate_relay", reload(handle, current.id()), now);
        });
    }

    /**
     * Puts an inactive or delinquent relay back: status `new` until zooid confirms it (then `active`).
     * A delinquent relay waits for its tenant's pending invoice to be paid.
     */
    public Relay activate(Relay current) {
        if (isUp(current)) {
            return current;
        }
        long now = clock.instant().getEpochSecond();
        return jdbi.inTransaction(handle -> {
            if (Relay.DELINQUENT.equals(current.status())
                    && !handle.attach(InvoiceDao.class).pendingFor(current.tenant()).isEmpty()) {
                throw new ApiException(ErrorCode.RELAY_IS_DELINQUENT, "this relay is delinquent: pay the pending invoice first");
            }
            refuseWhileOverdue(handle, current, now);
            handle.attach(RelayDao.class).setStatus(current.id(), Relay.NEW, now);
            return recordAndSync(handle, "update_relay", reload(handle, current.id()), now);
        });
    }

    private static boolean isUp(Relay relay) {
        return Relay.NEW.equals(relay.status()) || Relay.ACTIVE.equals(relay.status());
    }

    /**
     * A paid relay is not brought into service (created, activated, upgraded) while its tenant owes an invoice
     * past the grace period: whatever path it takes, it would be served on debt until the next collection.
     */
    private void refuseWhileOverdue(Handle handle, Relay relay, long now) {
        boolean paid = Plans.find(relay.plan()).map(Plan::isPaid).orElse(false);
        if (paid && handle.attach(InvoiceDao.class).hasOverdue(relay.tenant(), now - grace.toSeconds())) {
            throw new ApiException(ErrorCode.RELAY_IS_DELINQUENT,
                    "an invoice is overdue: pay it before putting a paid relay in service");
        }
    }

    private Relay recordAndSync(Handle handle, String activityType, Relay relay, long now) {
        ActivityDao.insert(handle, Activity.ofRelay(activityType, relay, now));
        jobs.enqueue(handle, new SyncRelayJob(relay.id()));
        return relay;
    }

    private static Relay reload(Handle handle, String id) {
        return handle.attach(RelayDao.class).find(id).orElseThrow(() -> ApiException.notFound("relay not found"));
    }

    /**
     * zooid schema name: the subdomain with '_' for '-', plus 8 hex of the id so it can never collide.
     * zooid wants {@code ^[a-zA-Z_][a-zA-Z0-9_]*$}, so a subdomain starting with a digit gets an "r_" prefix.
     */
    static String schemaFor(String subdomain, String id) {
        String base = subdomain.replace('-', '_');
        if (Character.isDigit(base.charAt(0))) {
            base = "r_" + base;
        }
        return base + "_" + id.replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
    }

    private static boolean orElse(Boolean value, boolean fallback) {
        return value == null ? fallback : value;
    }
}
