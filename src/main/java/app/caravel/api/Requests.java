package app.caravel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Request bodies. Unknown fields are refused by the mapper (400 unknown-field); absent fields are null. */
public final class Requests {
    private Requests() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CreateTenant(String nwcUrl) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Billing(String nwcUrl) {
    }

    /**
     * A relay as POST /relays and PUT /relays/:id take it: the original Caravel's field names, and the
     * read-only fields GET returns, so a client can send back what it read. Those that change behind the
     * client's back ({@code status}, {@code sync_error}, {@code synced}, {@code synced_at}, {@code created_at},
     * {@code updated_at}) are ignored whatever their value; those that name the relay ({@code id}, {@code tenant},
     * {@code subdomain}, {@code schema}, {@code host}) must be unchanged on PUT.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RelayBody(String tenant, String subdomain, String plan, String infoName, String infoIcon,
                            String infoDescription, Boolean policyPublicJoin, Boolean policyStripSignatures,
                            Boolean groupsEnabled, Boolean managementEnabled, Boolean blossomEnabled,
                            Boolean livekitEnabled, Boolean pushEnabled,
                            JsonNode id, JsonNode schema, JsonNode host,
                            JsonNode status, JsonNode syncError, JsonNode synced, JsonNode syncedAt,
                            JsonNode createdAt, JsonNode updatedAt) {
    }
}
