package app.caravel.api;

import app.caravel.db.Database;
import app.caravel.db.KnownTenants;
import app.caravel.db.Tenant;

import java.util.Optional;

/** Who may do what (SPEC §4): admins everything, a tenant its own things, anyone signed the public routes. */
public final class Access {
    private final Database db;
    private final KnownTenants tenants;

    public Access(Database db, KnownTenants tenants) {
        this.db = db;
        this.tenants = tenants;
    }

    public Optional<Tenant> tenantOf(Caller caller) {
        return db.tenant(caller.pubkey());
    }

    public boolean isTenant(Caller caller) {
        return tenants.isTenant(caller.pubkey());
    }

    public Tenant requireTenant(Caller caller) {
        return tenantOf(caller).orElseThrow(ApiException::notATenant);
    }

    /** Admins pass; a tenant passes for what it owns; everyone else gets 403 (existence is not revealed). */
    public void requireOwnerOrAdmin(Caller caller, String owner) {
        if (!caller.admin() && !caller.pubkey().equals(owner)) {
            throw ApiException.forbidden("only the owner or an admin may do this");
        }
    }

    public void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw ApiException.forbidden("admins only");
        }
    }

    /**
     * The tenant whose list is asked for: a tenant sees its own, an admin all (null) or the one in
     * {@code ?tenant=}. A non-admin naming a tenant gets 403, as the spec says.
     */
    public String listScope(Caller caller, String tenantParam) {
        if (tenantParam != null) {
            if (!caller.admin()) {
                throw ApiException.forbidden("only admins may pass ?tenant=");
            }
            return Validation.pubkey(tenantParam, "tenant");
        }
        if (caller.admin()) {
            return null;
        }
        return requireTenant(caller).pubkey();
    }
}
