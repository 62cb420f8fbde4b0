package app.caravel.infra;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Make zooid match relay {@code relayId}'s current row. Carries the id only: the row is read at run time. */
public record SyncRelayJob(String relayId) implements JobRequest {
    @Override
    public Class<RelaySyncHandler> getJobRequestHandler() {
        return RelaySyncHandler.class;
    }

    /** The dashboard names the job from this: "Sync relay <id> to zooid". */
    @Override
    public String toString() {
        return relayId;
    }
}
