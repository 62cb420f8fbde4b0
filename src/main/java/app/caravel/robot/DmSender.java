package app.caravel.robot;

import app.caravel.db.Activity;
import app.caravel.db.ActivityDao;
import app.caravel.db.Database;
import app.caravel.db.Ids;
import app.caravel.db.Invoice;
import app.caravel.db.InvoiceDao;
import app.caravel.db.MessageDao;
import app.caravel.db.Message;
import app.caravel.nostr.Event;
import app.caravel.nostr.Nip17;
import app.caravel.nostr.RelayPool;
import org.jdbi.v3.core.Handle;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Sends one stored message as a NIP-17 DM. The gift wrap is built on the first attempt and stored; every
 * later attempt publishes that same event, so a retry after a relay already took it is a duplicate the
 * relay ignores, never a second message. Done when one relay answers {@code OK true}.
 */
public class DmSender implements JobRequestHandler<SendDmJob> {
    /** The message type that carries an invoice's BOLT11 to its tenant. */
    public static final String INVOICE_CREATED = "invoice_created";

    private final Database db;
    private final RobotSettings robot;
    private final InboxRelays inboxes;
    private final RelayPool relays;
    private final Nip17 nip17;
    private final Clock clock;
    private final Duration timeout;

    public DmSender(Database db, RobotSettings robot, InboxRelays inboxes, RelayPool relays, Clock clock,
                    Duration timeout) {
        this.db = db;
        this.robot = robot;
        this.inboxes = inboxes;
        this.relays = relays;
        this.nip17 = new Nip17(clock);
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    @Job(name = "Send robot DM %0")
    public void run(SendDmJob job) {
        Message message = db.messages().find(job.messageId()).orElse(null);
        if (message == null || Message.SENT.equals(message.status())) {
            return;
        }
        Event wrap = storedWrap(message);
        List<String> targets = inboxes.of(message.recipient());
        Map<String, RelayPool.PublishResult> results = relays.publish(wrap, targets, timeout);
        List<String> accepted = results.values().stream().filter(RelayPool.PublishResult::accepted)
                .map(RelayPool.PublishResult::relay).toList();
        if (accepted.isEmpty()) {
            String error = "no relay accepted the DM: " + results.values();
            db.messages().markAttemptFailed(message.id(), error.length() > 1000 ? error.substring(0, 1000) : error);
            throw new IllegalStateException(error);
        }
        long now = clock.instant().getEpochSecond();
        db.jdbi().useTransaction(handle -> {
            handle.attach(MessageDao.class).markSent(message.id(), now, String.join(",", accepted));
            if (Activity.INVOICE.equals(message.resourceType()) && INVOICE_CREATED.equals(message.messageType())) {
                invoiceDelivered(handle, message.resourceId(), now);
            }
        });
    }

    /** An invoice is "sent" when a relay took the DM that carries its BOLT11, not when the DM was written. */
    private static void invoiceDelivered(Handle handle, String invoiceId, long now) {
        Invoice invoice = handle.attach(InvoiceDao.class).find(invoiceId).orElse(null);
        if (invoice != null && handle.attach(InvoiceDao.class).markSent(invoiceId, now) == 1) {
            handle.attach(ActivityDao.class).insert(new Activity(Ids.random(), invoice.tenant(), now, "mark_invoice_sent",
                    Activity.INVOICE, invoiceId, "{\"amount\":" + invoice.amount() + ",\"status\":\"" + invoice.status() + "\"}"));
        }
    }

    private Event storedWrap(Message message) {
        if (message.wrapEvent() == null) {
            Event wrap = nip17.wrap(robot.keys(), message.recipient(), message.body(), "Caravel");
            db.messages().setWrapIfAbsent(message.id(), wrap.toJson(), wrap.id());
        }
        return Event.fromJson(db.messages().find(message.id()).orElseThrow().wrapEvent());
    }
}
