package app.caravel.billing;

import app.caravel.nostr.Nip47;
import app.caravel.nostr.NwcClient;
import app.caravel.nostr.NwcException;
import app.caravel.nostr.NwcUri;
import com.codahale.metrics.health.HealthCheck;

/** The platform wallet answers a {@code get_info} round trip. */
public class WalletHealthCheck extends HealthCheck {
    private final NwcClient nwc;
    private final NwcUri platform;

    public WalletHealthCheck(NwcClient nwc, NwcUri platform) {
        this.nwc = nwc;
        this.platform = platform;
    }

    @Override
    protected Result check() {
        try {
            var info = nwc.call(platform, "get_info", Nip47.params());
            return Result.healthy("wallet %s answered get_info (%s)", platform.walletPubkey(),
                    info == null ? "" : info.path("alias").asText(""));
        } catch (NwcException e) {
            return Result.unhealthy("platform wallet: " + e.describe());
        }
    }
}
