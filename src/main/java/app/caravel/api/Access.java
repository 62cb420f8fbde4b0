package app.caravel.api;

import app.caravel.db.KnownTenants;

/** Who may do what (SPEC §4): admins everything, a tenant its own things, anyone signed the public routes. */
public final class Access {
    private final KnownTenants tenants;

    public Access(KnownTenants tenants) {
        this.tenants = tenants;
    }

    public boolean isTenant(Caller caller) {
        return isTenant(caller.pubkey());
    }

    public boolean isTenant(String pubkey) {
        return tenants.isTenant(pubkey);
    }

    /** The caller's pubkey when it is a tenant (a remembered "yes" holds: tenants are never deleted), else 403. */
    public String requireTenant(Caller caller) {
        if (!isTenant(caller)) {
            throw ApiException.notATenant();
        }
        return caller.pubkey();
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
        return requireTenant(caller);
    }
}
