package app.caravel.db;

/** A monthly invoice in sats. */
public record Invoice(String id, String tenant, long periodStart, long periodEnd, long amount, String bolt11,
                      String paymentHash, String status, long createdAt, Long attemptedAt, Long sentAt,
                      Long paidAt, Long closedAt, String error) {
    public static final String PENDING = "pending";
    public static final String PAID = "paid";
    public static final String CLOSED = "closed";
}
