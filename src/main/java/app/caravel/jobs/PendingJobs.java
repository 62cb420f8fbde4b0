package app.caravel.jobs;

import org.jdbi.v3.core.Jdbi;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which ids already have a job of one handler waiting, scheduled for a retry or running, read in one pass over
 * JobRunr's table: a sweep enqueues only for the others, so it never piles jobs on top of JobRunr's retries.
 */
public final class PendingJobs {
    private PendingJobs() {
    }

    /** Waiting, scheduled (a retry after a failure included) or running. */
    public static final List<String> PENDING = List.of("AWAITING", "SCHEDULED", "ENQUEUED", "PROCESSING");
    /** Waiting or running now: a retry scheduled for later is not counted. */
    public static final List<String> WAITING_OR_RUNNING = List.of("AWAITING", "ENQUEUED", "PROCESSING");

    /** {@code argument} is the id field of the handler's job request, e.g. {@code relayId}. */
    public static Set<String> ids(Jdbi jdbi, Class<?> handler, String argument) {
        return ids(jdbi, handler, argument, PENDING);
    }

    public static Set<String> ids(Jdbi jdbi, Class<?> handler, String argument, List<String> states) {
        Pattern field = Pattern.compile("\"" + Pattern.quote(argument) + "\":\"([^\"]+)\"");
        List<String> jobsJson = jdbi.withHandle(h -> h.createQuery("SELECT jobAsJson FROM jobrunr_jobs "
                        + "WHERE state IN (<states>) AND jobSignature LIKE :signature")
                .bindList("states", states)
                .bind("signature", handler.getName() + "%")
                .mapTo(String.class).list());
        Set<String> ids = new HashSet<>();
        for (String json : jobsJson) {
            Matcher id = field.matcher(json);
            if (id.find()) {
                ids.add(id.group(1));
            }
        }
        return ids;
    }
}
