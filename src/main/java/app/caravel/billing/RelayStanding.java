package app.caravel.billing;

import app.caravel.db.Activity;
import app.caravel.db.ActivityDao;
import app.caravel.db.InvoiceDao;
import app.caravel.db.Relay;
import app.caravel.db.RelayDao;
import app.caravel.infra.SyncRelayJob;
import app.caravel.jobs.JobQueue;
import app.caravel.robot.Messages;
import app.caravel.robot.Notifier;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A tenant's relays going delinquent for an unpaid invoice, and coming back once nothing is owed. Each
 * change is a status, an activity entry, a sync job (off or back on zooid) and one DM, in the caller's
 * transaction.
 */
public final class RelayStanding {
    private final JobQueue jobs;
    private final Notifier notifier;
    private final Function<Relay, String> host;

    public RelayStanding(JobQueue jobs, Notifier notifier, Function<Relay, String> host) {
        this.jobs = jobs;
        this.notifier = notifier;
        this.host = host;
    }

    /** The tenant's paid relays that are up (new or active) become delinquent. */
    public List<Relay> suspend(Handle handle, String tenant, String invoiceId, long amount, String bolt11, long now) {
        RelayDao relays = handle.attach(RelayDao.class);
        List<Relay> changed = new ArrayList<>();
        for (Relay relay : relays.listByTenant(tenant)) {
            boolean up = Relay.ACTIVE.equals(relay.status()) || Relay.NEW.equals(relay.status());
            if (up && Plans.find(relay.plan()).map(Plan::isPaid).orElse(false)) {
                changed.add(move(handle, relay, Relay.DELINQUENT, now));
            }
        }
        if (!changed.isEmpty()) {
            notifier.notify(handle, tenant, "relays_delinquent", Activity.INVOICE, invoiceId, "delinquent:" + invoiceId,
                    Messages.relaysDelinquent(changed.stream().map(host).toList(), amount, bolt11));
        }
        return changed;
    }

    /** Once the tenant owes nothing, its delinquent relays go back up (`new`, then `active` after the sync). */
    public List<Relay> restore(Handle handle, String tenant, String invoiceId, long now) {
        if (!handle.attach(InvoiceDao.class).pendingFor(tenant).isEmpty()) {
            return List.of();
        }
        List<Relay> changed = new ArrayList<>();
        for (Relay relay : handle.attach(RelayDao.class).listByTenantAndStatus(tenant, Relay.DELINQUENT)) {
            changed.add(move(handle, relay, Relay.NEW, now));
        }
        if (!changed.isEmpty()) {
            notifier.notify(handle, tenant, "relays_reactivated", Activity.INVOICE, invoiceId, "reactivated:" + invoiceId,
                    Messages.relaysReactivated(changed.stream().map(host).toList()));
        }
        return changed;
    }

    private Relay move(Handle handle, Relay relay, String status, long now) {
        RelayDao relays = handle.attach(RelayDao.class);
        relays.setStatus(relay.id(), status, now);
        Relay moved = relays.find(relay.id()).orElseThrow();
        handle.attach(ActivityDao.class).insert(Activity.ofRelay(
                Relay.DELINQUENT.equals(status) ? "deactivate_relay" : "update_relay", moved, now));
        jobs.enqueue(handle, new SyncRelayJob(relay.id()));
        return moved;
    }

    /** The host a tenant knows its relay by. */
    public static Function<Relay, String> hosts(String relayDomain) {
        return relay -> relayDomain.isEmpty() ? relay.subdomain() : relay.subdomain() + "." + relayDomain;
    }

}
