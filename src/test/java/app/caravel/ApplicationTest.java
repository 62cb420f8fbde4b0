package app.caravel;

import app.caravel.support.Ports;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real application on a temp SQLite file: admin health, JobRunr round trip, dashboard credentials. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApplicationTest {
    private static final Path DIR = tempDir();
    private static final int DASHBOARD_PORT = Ports.free();

    static final DropwizardAppExtension<CaravelConfiguration> APP = new DropwizardAppExtension<>(
            CaravelApplication.class, app.caravel.support.TestApps.configPath(),
            ConfigOverride.config("database_url", "sqlite://" + DIR.resolve("app.db")),
            ConfigOverride.config("port", "0"),
            ConfigOverride.config("admin_port", "0"),
            ConfigOverride.config("dashboard_port", String.valueOf(DASHBOARD_PORT)),
            ConfigOverride.config("dashboard_user", "ops"),
            ConfigOverride.config("dashboard_password", "test-password"));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A job of the test's own: it records the id it was given, so completion can be observed. */
    public record RecordJob(String id) implements JobRequest {
        @Override
        public Class<RecordJobHandler> getJobRequestHandler() {
            return RecordJobHandler.class;
        }
    }

    public static final class RecordJobHandler implements JobRequestHandler<RecordJob> {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void run(RecordJob job) {
            seen.add(job.id());
        }
    }

    @Test
    void adminHealthCheckIsGreenOnAFreshDatabase() throws Exception {
        HttpResponse<String> health = get("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck", null);
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"database\":{\"healthy\":true"), health.body());
        assertTrue(health.body().contains("\"jobrunr\":{\"healthy\":true"), health.body());
        assertTrue(health.body().contains("disabled: ZOOID_API_URL, ZOOID_API_SECRET not set"), health.body());
        assertTrue(Files.exists(DIR.resolve("app.db")));
    }

    @Test
    void aJobIsEnqueuedAndCompletedInTheSameDatabase() throws Exception {
        CaravelApplication app = APP.getApplication();
        RecordJobHandler handler = new RecordJobHandler();
        app.jobHandlers().register(RecordJobHandler.class, handler);
        String marker = UUID.randomUUID().toString();
        UUID jobId = app.jobs().scheduler().enqueue(new RecordJob(marker)).asUUID();

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (app.jobs().storage().getJobById(jobId).getState() != StateName.SUCCEEDED && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(StateName.SUCCEEDED, app.jobs().storage().getJobById(jobId).getState());
        assertTrue(handler.seen.contains(marker), handler.seen.toString());
        long rows = app.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM jobrunr_jobs WHERE id = :id").bind("id", jobId.toString()).mapTo(Long.class).one());
        assertEquals(1, rows, "JobRunr's tables live in the app's SQLite file");
    }

    @Test
    void aJobEnqueuedInATransactionCommitsAndRollsBackWithIt() {
        CaravelApplication app = APP.getApplication();
        var jdbi = app.database().jdbi();
        String pubkey = "ab".repeat(32);
        long jobsBefore = jobCount(app);
        Exception boom = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () ->
                jdbi.useTransaction(h -> {
                    h.execute("INSERT INTO tenants (pubkey, created_at, status) VALUES (?, 1, 'active')", pubkey);
                    app.jobQueue().enqueue(h, new RecordJob("rolled back"));
                    assertEquals(jobsBefore + 1, h.createQuery(COUNT_RECORD_JOBS).mapTo(Long.class).one(),
                            "the job is written inside the transaction");
                    throw new IllegalStateException("boom");
                }));
        assertEquals("boom", boom.getMessage());
        assertEquals(jobsBefore, jobCount(app), "rolled back with the row");
        assertTrue(app.database().tenants().find(pubkey).isEmpty());

        jdbi.useTransaction(h -> {
            h.execute("INSERT INTO tenants (pubkey, created_at, status) VALUES (?, 1, 'active')", pubkey);
            app.jobQueue().enqueue(h, new RecordJob("committed"));
        });
        assertEquals(jobsBefore + 1, jobCount(app));
        assertTrue(app.database().tenants().find(pubkey).isPresent());
    }

    @Test
    void theSqliteWritersTurnsAreOnTheAdminPortsMetrics() throws Exception {
        CaravelApplication app = APP.getApplication();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String metrics = "http://127.0.0.1:" + APP.getAdminPort() + "/metrics";
        long turns = json.readTree(get(metrics, null).body()).path("timers").path("db-writer.permit-held").path("count").asLong();
        app.database().jdbi().useTransaction(h -> h.execute(
                "INSERT INTO tenants (pubkey, created_at, status) VALUES (?, 1, 'active')", "cd".repeat(32)));
        var after = json.readTree(get(metrics, null).body());
        assertTrue(after.path("timers").path("db-writer.permit-held").path("count").asLong() >= turns + 1, after.toString());
        assertTrue(after.path("timers").path("db-writer.permit-wait").path("count").asLong() >= turns + 1);
        assertTrue(after.path("counters").path("db-writer.permit-held-nanos").path("count").asLong() > 0,
                "its rate is the share of time this process spent writing");
    }

    /**
     * This class's jobs only: the app enqueues jobs of its own after start (the robot's profile, recurring
     * jobs), which on PostgreSQL could land between a count and the next and fail the test now and then.
     */
    private static final String COUNT_RECORD_JOBS =
            "SELECT count(*) FROM jobrunr_jobs WHERE jobSignature LIKE '%RecordJob%'";

    private static long jobCount(CaravelApplication app) {
        return app.database().jdbi().withHandle(h -> h.createQuery(COUNT_RECORD_JOBS).mapTo(Long.class).one());
    }

    @Test
    void billingAsOfAnotherTimeIsRefusedUnlessAllowed() throws Exception {
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + APP.getAdminPort() + "/tasks/billing-tick?at=1700000000"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("BILLING_ALLOW_AT"), refused.body());
        HttpResponse<String> now = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + APP.getAdminPort() + "/tasks/billing-tick"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, now.statusCode(), now.body());
    }

    @Test
    void dashboardNeedsCredentials() throws Exception {
        String url = "http://127.0.0.1:" + DASHBOARD_PORT + "/api/jobs?state=ENQUEUED";
        assertEquals(401, get(url, null).statusCode());
        assertEquals(401, get(url, basic("ops", "wrong")).statusCode());
        assertEquals(200, get(url, basic("ops", "test-password")).statusCode());
    }

    private HttpResponse<String> get(String url, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("caravel-app-test");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
