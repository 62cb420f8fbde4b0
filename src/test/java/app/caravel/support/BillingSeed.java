package app.caravel.support;

import app.caravel.db.Activity;
import app.caravel.db.Database;
import app.caravel.db.Ids;
import app.caravel.db.Relay;
import app.caravel.db.Tenant;
import app.caravel.nostr.KeyPair;

import java.util.UUID;

/** Tenants billed from a given anchor: each with one relay active on a plan since then, as the activity log says. */
public final class BillingSeed {
    private BillingSeed() {
    }

    /** A tenant with {@code nwcUrl} (null: none) and one relay on {@code plan}, active since {@code anchor}. */
    public static String tenant(Database db, KeyPair tenant, String nwcUrl, String plan, long anchor) {
        db.tenants().insert(new Tenant(tenant.pubkey(), nwcUrl, null, anchor, anchor, Tenant.ACTIVE));
        String id = UUID.randomUUID().toString();
        String subdomain = "t" + id.substring(0, 8);
        db.relays().insert(new Relay(id, tenant.pubkey(), subdomain, subdomain + "_" + id.substring(0, 8), subdomain, "",
                "", plan, Relay.ACTIVE, null, anchor, KeyPair.generate().secretHex(), false, false, true, true, false,
                false, false, anchor, anchor));
        db.activity().insert(new Activity(Ids.random(), tenant.pubkey(), anchor, "activate_relay", Activity.RELAY, id,
                "{\"plan\":\"" + plan + "\",\"status\":\"active\"}"));
        return id;
    }
}
