package app.caravel.db;

/** A customer, identified by its Nostr pubkey. {@code nwcUrl} is a secret: redacted from toString. */
public record Tenant(String pubkey, String nwcUrl, String nwcError, long createdAt, Long billingAnchor,
                     String status) {
    public static final String ACTIVE = "active";
    public static final String SUSPENDED = "suspended";

    @Override
    public String toString() {
        return "Tenant[pubkey=" + pubkey + ", nwcUrl=" + (nwcUrl == null ? "none" : "<redacted>")
                + ", status=" + status + "]";
    }
}
