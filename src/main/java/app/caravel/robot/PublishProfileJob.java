package app.caravel.robot;

import org.jobrunr.jobs.lambdas.JobRequest;

/** Publish the robot's profile and relay lists (at start and daily). */
public record PublishProfileJob() implements JobRequest {
    @Override
    public Class<ProfilePublisher> getJobRequestHandler() {
        return ProfilePublisher.class;
    }
}
