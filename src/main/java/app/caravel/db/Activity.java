package app.caravel.db;

/** One line of the append-only audit log; {@code snapshot} is JSON of the billing-relevant state. */
public record Activity(String id, String tenant, long createdAt, String activityType, String resourceType,
                       String resourceId, String snapshot) {
}
