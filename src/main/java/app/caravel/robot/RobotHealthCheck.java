package app.caravel.robot;

import app.caravel.nostr.RelayPool;
import com.codahale.metrics.health.HealthCheck;

import java.util.concurrent.TimeUnit;

/** Healthy when at least one outbox relay accepts a websocket connection. */
public class RobotHealthCheck extends HealthCheck {
    private final RobotSettings robot;
    private final RelayPool relays;

    public RobotHealthCheck(RobotSettings robot, RelayPool relays) {
        this.robot = robot;
        this.relays = relays;
    }

    @Override
    protected Result check() {
        StringBuilder failures = new StringBuilder();
        for (String url : robot.outboxRelays()) {
            try {
                if (relays.connection(url).get(5, TimeUnit.SECONDS).isOpen()) {
                    return Result.healthy("connected to " + url);
                }
            } catch (Exception e) {
                failures.append(url).append(": ").append(e.getClass().getSimpleName()).append("; ");
            }
        }
        return Result.unhealthy("no outbox relay reachable: " + failures);
    }
}
