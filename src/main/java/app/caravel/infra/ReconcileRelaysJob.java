package app.caravel.infra;

import org.jobrunr.jobs.lambdas.JobRequest;

/** The recurring sweep that re-enqueues syncs for relays whose zooid state may be wrong. */
public record ReconcileRelaysJob() implements JobRequest {
    @Override
    public Class<RelayReconciler> getJobRequestHandler() {
        return RelayReconciler.class;
    }
}
