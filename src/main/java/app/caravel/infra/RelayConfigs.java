package app.caravel.infra;

import app.caravel.billing.Plan;
import app.caravel.billing.Plans;
import app.caravel.db.Relay;
import app.caravel.db.SecretBox;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The zooid config JSON of a relay (SPEC §5.1), built from its row and the plan it is on. */
public final class RelayConfigs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ZooidSettings settings;
    private final SecretBox secrets;

    /** {@code secrets} opens the relay's sealed key for the config, the one place zooid needs it. */
    public RelayConfigs(ZooidSettings settings, SecretBox secrets) {
        this.settings = settings;
        this.secrets = secrets;
    }

    public String host(Relay relay) {
        return settings.relayDomain().isEmpty() ? relay.subdomain() : relay.subdomain() + "." + settings.relayDomain();
    }

    public ObjectNode of(Relay relay) {
        Plan plan = Plans.find(relay.plan()).orElse(Plans.FREE);
        ObjectNode config = JSON.createObjectNode();
        config.put("host", host(relay));
        config.put("schema", relay.schema());
        config.put("secret", secrets.open(relay.secret()));
        ObjectNode info = config.putObject("info");
        info.put("name", relay.name());
        info.put("icon", relay.icon());
        info.put("pubkey", relay.tenant());
        info.put("description", relay.description());
        ObjectNode policy = config.putObject("policy");
        policy.put("public_join", relay.publicJoin());
        policy.put("strip_signatures", relay.stripSignatures());
        config.putObject("groups").put("enabled", relay.groups());
        config.putObject("management").put("enabled", relay.management());
        config.putObject("blossom").put("enabled", relay.blossom() && plan.blossom());
        config.putObject("push").put("enabled", relay.push());
        if (relay.livekit() && plan.livekit() && settings.livekit().isPresent()) {
            ZooidSettings.Livekit livekit = settings.livekit().get();
            ObjectNode node = config.putObject("livekit");
            node.put("server_url", livekit.serverUrl());
            node.put("api_key", livekit.apiKey());
            node.put("api_secret", livekit.apiSecret());
        }
        ObjectNode admin = config.putObject("roles").putObject("admin");
        admin.putArray("pubkeys").add(relay.tenant());
        admin.put("can_manage", true);
        admin.put("can_invite", true);
        // paused, not deleted: zooid keeps the config and data, so reactivation brings back the same relay
        config.put("inactive", !Relay.NEW.equals(relay.status()) && !Relay.ACTIVE.equals(relay.status()));
        return config;
    }
}
