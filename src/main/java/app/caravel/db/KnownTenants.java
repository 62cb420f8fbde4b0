package app.caravel.db;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Whether a pubkey is a tenant, remembering only the answer "yes". Tenancy only ever starts: no route deletes a
 * tenant and the schema refuses it (migrations.xml, 14-tenants-never-deleted), so a remembered "yes" cannot go
 * stale in this or any other process. A "no" is asked of the database every time, so a tenant created through
 * another server process is seen on the very next request. GET /identity asks this on every call; with the
 * answer in memory it makes no database round at all.
 */
public final class KnownTenants {
    /** About 200 bytes an entry: 10,000 active tenants in 2 MB; past that, the least used are asked again. */
    static final int CAPACITY = 10_000;

    private final Database db;
    private final Cache<String, Boolean> known = Caffeine.newBuilder().maximumSize(CAPACITY).build();

    public KnownTenants(Database db) {
        this.db = db;
    }

    public boolean isTenant(String pubkey) {
        if (known.getIfPresent(pubkey) != null) {
            return true;
        }
        boolean tenant = db.isTenant(pubkey);
        if (tenant) {
            known.put(pubkey, Boolean.TRUE);
        }
        return tenant;
    }
}
