package app.caravel.jobs;

import com.codahale.metrics.health.HealthCheck;
import org.jobrunr.server.BackgroundJobServer;

/** Healthy while JobRunr's background server runs and has announced itself in the shared database. */
public class JobServerHealthCheck extends HealthCheck {
    private final BackgroundJobServer server;

    public JobServerHealthCheck(BackgroundJobServer server) {
        this.server = server;
    }

    @Override
    protected Result check() {
        if (!server.isRunning()) {
            return Result.unhealthy("JobRunr background server is not running");
        }
        if (!server.isAnnounced()) {
            return Result.unhealthy("JobRunr background server has not announced itself yet");
        }
        return Result.healthy("running, server %s", server.getId());
    }
}
