package app.caravel.infra;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Every 30 s: if relays carry a sync error and zooid answers again, sync them now instead of after their backoff. */
public record HealRelaysJob() implements JobRequest {
    @Override
    public Class<ZooidRecovery> getJobRequestHandler() {
        return ZooidRecovery.class;
    }
}
