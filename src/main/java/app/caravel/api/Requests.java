package app.caravel.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Request bodies. Unknown fields are refused by the mapper; absent optional fields are null. */
public final class Requests {
    private Requests() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CreateTenant(String nwcUrl) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Billing(String nwcUrl) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CreateRelay(String tenant, String subdomain, String name, String icon, String description,
                              String plan, Boolean publicJoin, Boolean stripSignatures, Boolean groups,
                              Boolean management, Boolean blossom, Boolean livekit, Boolean push) {
    }

    /** Every field optional: what is absent stays as it is. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UpdateRelay(String name, String icon, String description, String plan, Boolean publicJoin,
                              Boolean stripSignatures, Boolean groups, Boolean management, Boolean blossom,
                              Boolean livekit, Boolean push) {
    }
}
