package app.caravel.db;

/**
 * A robot DM. {@code wrapEvent} is the NIP-17 gift wrap, built once and re-published as is by every retry,
 * so relays see one event id and the recipient gets the message once.
 */
public record Message(String id, String recipient, String messageType, String resourceType, String resourceId,
                      String dedupeKey, String body, String status, String wrapEvent, String wrapId,
                      String relaysAccepted, int attempts, String lastError, long createdAt, Long sentAt) {
    public static final String PENDING = "pending";
    public static final String SENT = "sent";
}
