package app.caravel.jobs;

import io.dropwizard.lifecycle.Managed;
import org.jobrunr.dashboard.JobRunrDashboardWebServer;
import org.jobrunr.dashboard.JobRunrDashboardWebServerConfiguration;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Optional;

/**
 * JobRunr assembled by hand rather than through its static fluent API, so that each application instance
 * (and each test) owns its storage, scheduler, server and dashboard. Jobs live in the app's SQLite file.
 */
public final class JobRunrService implements Managed {
    public record Settings(int workers, int pollSeconds, int dashboardPort, String dashboardUser,
                           String dashboardPassword) {
        @Override
        public String toString() {
            return "Settings[workers=" + workers + ", pollSeconds=" + pollSeconds + ", dashboardPort=" + dashboardPort
                    + ", dashboardUser=" + dashboardUser + ", dashboardPassword=<redacted>]";
        }
    }

    private final StorageProvider storage;
    private final JsonMapper json;
    private final JobRequestScheduler scheduler;
    private final BackgroundJobServer server;
    private final JobRunrDashboardWebServer dashboard;

    public JobRunrService(DataSource dataSource, JobHandlers handlers, Settings settings) {
        this.json = new JacksonJsonMapper();
        this.storage = JobStorage.of(dataSource, json);
        this.scheduler = new JobRequestScheduler(storage);
        this.server = new BackgroundJobServer(storage, json, handlers,
                BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andWorkerCount(settings.workers())
                        .andPollInterval(Duration.ofSeconds(Math.max(5, settings.pollSeconds())))
                        .andInterruptJobsAwaitDurationOnStopBackgroundJobServer(Duration.ofSeconds(5)));
        this.dashboard = settings.dashboardPort() == 0 ? null : new JobRunrDashboardWebServer(storage, json,
                JobRunrDashboardWebServerConfiguration.usingStandardDashboardConfiguration()
                        .andPort(settings.dashboardPort())
                        .andBasicAuthentication(settings.dashboardUser(), settings.dashboardPassword())
                        .andAllowAnonymousDataUsage(false));
    }

    public JobRequestScheduler scheduler() {
        return scheduler;
    }

    public StorageProvider storage() {
        return storage;
    }

    public BackgroundJobServer server() {
        return server;
    }

    public Optional<JobRunrDashboardWebServer> dashboard() {
        return Optional.ofNullable(dashboard);
    }

    @Override
    public void start() {
        server.start();
        if (dashboard != null) {
            dashboard.start();
        }
    }

    @Override
    public void stop() {
        if (dashboard != null) {
            dashboard.stop();
        }
        server.stop();
        storage.close();
    }
}
