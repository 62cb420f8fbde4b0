package app.caravel.robot;

import app.caravel.db.Ids;
import app.caravel.db.Message;
import app.caravel.db.MessageDao;
import app.caravel.jobs.JobQueue;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Stores the message and enqueues its {@link SendDmJob} in the caller's transaction. With the robot
 * disabled the message is still stored (ops can read it) but nothing is sent.
 */
public final class RobotNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(RobotNotifier.class);
    private final JobQueue jobs;
    private final Clock clock;
    private final boolean sending;
    private final DashboardLinks links;

    public RobotNotifier(JobQueue jobs, Clock clock, boolean sending) {
        this(jobs, clock, sending, DashboardLinks.none());
    }

    /** {@code links}: the dashboard page appended to the DMs that ask the tenant to act (APP_URL). */
    public RobotNotifier(JobQueue jobs, Clock clock, boolean sending, DashboardLinks links) {
        this.jobs = jobs;
        this.clock = clock;
        this.sending = sending;
        this.links = links;
    }

    @Override
    public void notify(Handle handle, String recipient, String messageType, String resourceType, String resourceId,
                       String dedupeKey, String text) {
        Message message = new Message(Ids.random(), recipient, messageType, resourceType, resourceId, dedupeKey,
                links.append(text, messageType, resourceType, resourceId),
                Message.PENDING, null, null, null, 0, null, clock.instant().getEpochSecond(), null);
        if (handle.attach(MessageDao.class).insert(message) == 0) {
            return;
        }
        if (sending) {
            jobs.enqueue(handle, new SendDmJob(message.id()));
        } else {
            LOG.info("robot disabled: {} message to {} stored, not sent", messageType, recipient);
        }
    }
}
