package app.caravel.robot;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Deliver stored message {@code messageId}. Only the id travels: the text (maybe a BOLT11) stays in the database. */
public record SendDmJob(String messageId) implements JobRequest {
    @Override
    public Class<DmSender> getJobRequestHandler() {
        return DmSender.class;
    }
}
