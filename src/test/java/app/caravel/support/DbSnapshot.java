package app.caravel.support;

import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;

/** Every row of the app's tables plus the number of JobRunr jobs: equal snapshots mean nothing changed. */
public record DbSnapshot(Map<String, List<Map<String, Object>>> tables, long jobs) {
    private static final List<String> TABLES = List.of("tenants", "relays", "activity", "invoices", "invoice_items", "messages");

    public static DbSnapshot of(Jdbi jdbi) {
        return jdbi.withHandle(h -> {
            Map<String, List<Map<String, Object>>> rows = new java.util.LinkedHashMap<>();
            for (String table : TABLES) {
                rows.put(table, h.createQuery("SELECT * FROM " + table + " ORDER BY 1, 2, 3").mapToMap().list());
            }
            // recurring jobs (billing tick, reconcile…) schedule their next run on their own: not a change
            long jobs = h.createQuery("SELECT count(*) FROM jobrunr_jobs WHERE recurringJobId IS NULL").mapTo(Long.class).one();
            return new DbSnapshot(rows, jobs);
        });
    }
}
