package app.caravel.billing;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A hosting plan. {@code members} null means unlimited. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Plan(String id, String name, long sats, Integer members, boolean blossom, boolean livekit) {

    public boolean isPaid() {
        return sats > 0;
    }
}
