package app.caravel.robot;

import app.caravel.nostr.Event;
import app.caravel.nostr.RelayPool;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Publishes {@link RobotProfile}'s events to the outbox relays; replaceable, so repeating is harmless. */
public class ProfilePublisher implements JobRequestHandler<PublishProfileJob> {
    private static final Logger LOG = LoggerFactory.getLogger(ProfilePublisher.class);
    private final RobotSettings robot;
    private final RelayPool relays;
    private final Clock clock;
    private final Duration timeout;

    public ProfilePublisher(RobotSettings robot, RelayPool relays, Clock clock, Duration timeout) {
        this.robot = robot;
        this.relays = relays;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    @Job(name = "Publish the robot's profile and relay lists")
    public void run(PublishProfileJob job) {
        for (Event event : RobotProfile.events(robot, clock.instant().getEpochSecond())) {
            Map<String, RelayPool.PublishResult> results = relays.publish(event, robot.outboxRelays(), timeout);
            long accepted = results.values().stream().filter(RelayPool.PublishResult::accepted).count();
            if (accepted == 0) {
                throw new IllegalStateException("no outbox relay accepted kind " + event.kind() + ": " + results.values());
            }
            LOG.info("robot kind {} accepted by {}/{} outbox relays", event.kind(), accepted, results.size());
        }
    }
}
