package app.caravel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An optional part of the service and why it is on or off, for the start-up log and the health checks. */
public record Feature(String name, boolean enabled, String detail) {

    public static List<Feature> of(CaravelConfiguration config) {
        List<Feature> features = new ArrayList<>();
        features.add(needs("zooid sync", Arrays.asList(
                missing("ZOOID_API_URL", config.zooidApiUrl().isEmpty()),
                missing("ZOOID_API_SECRET", config.zooidApiSecret().isEmpty())),
                config.zooidApiUrl().orElse("")));
        features.add(needs("invoicing", Arrays.asList(missing("NWC_URL", config.nwcUrl().isEmpty())),
                config.nwcUrl().map(uri -> "platform wallet " + uri.walletPubkey()).orElse("")));
        features.add(needs("robot", Arrays.asList(
                missing("ROBOT_SECRET", config.robotSecret().isEmpty()),
                missing("ROBOT_OUTBOX_RELAYS", config.robotOutboxRelays().isEmpty()),
                missing("ROBOT_INDEXER_RELAYS", config.robotIndexerRelays().isEmpty()),
                missing("ROBOT_MESSAGING_RELAYS", config.robotMessagingRelays().isEmpty())),
                "outbox " + config.robotOutboxRelays()));
        features.add(needs("livekit", Arrays.asList(
                missing("LIVEKIT_URL", config.livekitUrl().isEmpty()),
                missing("LIVEKIT_API_KEY", config.livekitApiKey().isEmpty()),
                missing("LIVEKIT_API_SECRET", config.livekitApiSecret().isEmpty())),
                config.livekitUrl().orElse("")));
        features.add(config.dashboardPort() == 0
                ? new Feature("jobrunr dashboard", false, "DASHBOARD_PORT is 0")
                : new Feature("jobrunr dashboard", true, "port " + config.dashboardPort()));
        return List.copyOf(features);
    }

    private static String missing(String variable, boolean isMissing) {
        return isMissing ? variable : null;
    }

    private static Feature needs(String name, List<String> missing, String detail) {
        List<String> absent = missing.stream().filter(java.util.Objects::nonNull).toList();
        return absent.isEmpty()
                ? new Feature(name, true, detail)
                : new Feature(name, false, String.join(", ", absent) + " not set");
    }

    public String describe() {
        return name + ": " + (enabled ? "enabled" : "disabled") + (detail.isEmpty() ? "" : ", " + detail);
    }
}
