package app.caravel.db;

/** One line of the append-only audit log; {@code snapshot} is JSON of the billing-relevant state. */
public record Activity(String id, String tenant, long createdAt, String activityType, String resourceType,
                       String resourceId, String snapshot) {
    public static final String RELAY = "relay";
    public static final String TENANT = "tenant";
    public static final String INVOICE = "invoice";

    /** A relay event with the plan and status billing replays. */
    public static Activity ofRelay(String type, Relay relay, long now) {
        return new Activity(Ids.random(), relay.tenant(), now, type, RELAY, relay.id(),
                "{\"plan\":\"" + relay.plan() + "\",\"status\":\"" + relay.status() + "\"}");
    }

    /** A tenant event; the snapshot never holds the wallet URL, only whether there is one. */
    public static Activity ofTenant(String type, Tenant tenant, long now) {
        return new Activity(Ids.random(), tenant.pubkey(), now, type, TENANT, tenant.pubkey(),
                "{\"status\":\"" + tenant.status() + "\",\"has_wallet\":" + (tenant.nwcUrl() != null) + "}");
    }
}
