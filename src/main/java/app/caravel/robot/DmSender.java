package app.caravel.robot;

import app.caravel.db.Database;
import app.caravel.db.Message;
import app.caravel.nostr.Event;
import app.caravel.nostr.Nip17;
import app.caravel.nostr.RelayPool;
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
        db.messages().markSent(message.id(), clock.instant().getEpochSecond(), String.join(",", accepted));
    }

    private Event storedWrap(Message message) {
        if (message.wrapEvent() == null) {
            Event wrap = nip17.wrap(robot.keys(), message.recipient(), message.body(), "Caravel");
            db.messages().setWrapIfAbsent(message.id(), wrap.toJson(), wrap.id());
        }
        return Event.fromJson(db.messages().find(message.id()).orElseThrow().wrapEvent());
    }
}
