package app.caravel.robot;

import app.caravel.db.Database;
import com.codahale.metrics.health.HealthCheck;

import java.time.Clock;
import java.time.Duration;

/** How many DMs no relay has accepted an hour after they were written; with the robot on, any such is unhealthy. */
public class MessagesHealthCheck extends HealthCheck {
    static final Duration STUCK_AFTER = Duration.ofHours(1);
    private final Database db;
    private final Clock clock;
    private final boolean sending;

    public MessagesHealthCheck(Database db, Clock clock, boolean sending) {
        this.db = db;
        this.clock = clock;
        this.sending = sending;
    }

    @Override
    protected Result check() {
        int stuck = db.messages().countPendingBefore(clock.instant().minus(STUCK_AFTER).getEpochSecond());
        if (!sending) {
            return Result.healthy("robot off: %d messages stored and not sent", stuck);
        }
        return stuck == 0 ? Result.healthy("no message pending for over an hour")
                : Result.unhealthy("%d messages pending for over an hour (no relay accepted them)", stuck);
    }
}
