package app.caravel.infra;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** Runs {@link SyncRelayJob}s; with zooid sync disabled it records that nothing was pushed. */
public class RelaySyncHandler implements JobRequestHandler<SyncRelayJob> {
    private static final Logger LOG = LoggerFactory.getLogger(RelaySyncHandler.class);
    private final Optional<RelaySync> sync;

    public RelaySyncHandler(Optional<RelaySync> sync) {
        this.sync = sync;
    }

    @Override
    @Job(name = "Sync relay %0 to zooid")
    public void run(SyncRelayJob job) throws Exception {
        if (sync.isEmpty()) {
            LOG.info("zooid sync disabled: relay {} not pushed (a resync after configuring zooid will)", job.relayId());
            return;
        }
        sync.get().sync(job.relayId());
    }
}
