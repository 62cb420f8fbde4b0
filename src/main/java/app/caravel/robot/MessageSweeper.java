package app.caravel.robot;

import app.caravel.db.Database;
import app.caravel.jobs.JobQueue;
import app.caravel.jobs.PendingJobs;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * No DM is dropped silently: every pending message younger than {@link #MAX_AGE} that has no send job waiting,
 * retrying or running (JobRunr's retries ran out, or it was stored while the robot was off) gets a new one.
 * Older ones stay pending and are counted as stuck on the health check: news that old is no longer worth sending.
 */
public class MessageSweeper implements JobRequestHandler<SweepMessagesJob> {
    public static final Duration MAX_AGE = Duration.ofDays(7);
    private static final Logger LOG = LoggerFactory.getLogger(MessageSweeper.class);

    private final Database db;
    private final JobQueue jobs;
    private final Clock clock;

    public MessageSweeper(Database db, JobQueue jobs, Clock clock) {
        this.db = db;
        this.jobs = jobs;
        this.clock = clock;
    }

    @Override
    @Job(name = "Send pending robot DMs again")
    public void run(SweepMessagesJob job) {
        sweep();
    }

    /** Returns how many messages were handed to the sender. */
    public int sweep() {
        Set<String> sending = PendingJobs.ids(db.jdbi(), DmSender.class, "messageId");
        int enqueued = 0;
        for (String id : db.messages().pendingIdsSince(clock.instant().minus(MAX_AGE).getEpochSecond())) {
            if (!sending.contains(id)) {
                jobs.enqueue(new SendDmJob(id));
                enqueued++;
            }
        }
        if (enqueued > 0) {
            LOG.info("handed {} pending messages to the sender again", enqueued);
        }
        return enqueued;
    }
}
