package app.caravel.db;

/** A hosted relay. {@code secret} is the relay's own Nostr key: it goes to zooid and nowhere else. */
public record Relay(String id, String tenant, String subdomain, String schema, String name, String icon,
                    String description, String plan, String status, String syncError, Long syncedAt,
                    String secret, boolean publicJoin, boolean stripSignatures, boolean groups,
                    boolean management, boolean blossom, boolean livekit, boolean push, long createdAt,
                    long updatedAt) {
    public static final String NEW = "new";
    public static final String ACTIVE = "active";
    public static final String INACTIVE = "inactive";
    public static final String DELINQUENT = "delinquent";

    @Override
    public String toString() {
        return "Relay[id=" + id + ", tenant=" + tenant + ", subdomain=" + subdomain + ", plan=" + plan
                + ", status=" + status + ", secret=<redacted>]";
    }
}
