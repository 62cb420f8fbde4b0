package app.caravel.robot;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Hands pending messages back to the sender: those whose retries ran out, or stored while the robot was off. */
public record SweepMessagesJob() implements JobRequest {
    @Override
    public Class<MessageSweeper> getJobRequestHandler() {
        return MessageSweeper.class;
    }
}
