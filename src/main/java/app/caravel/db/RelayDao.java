package app.caravel.db;

import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Optional;

@RegisterRowMapper(RowMappers.RelayMapper.class)
public interface RelayDao {
    String INSERT = "INSERT INTO relays (id, tenant, subdomain, schema, name, icon, description, plan, status, sync_error, "
            + "synced_at, secret, public_join, strip_signatures, groups, management, blossom, livekit, push, created_at, "
            + "updated_at) VALUES (:id, :tenant, :subdomain, :schema, :name, :icon, :description, :plan, :status, "
            + ":syncError, :syncedAt, :secret, :publicJoin, :stripSignatures, :groups, :management, :blossom, :livekit, "
            + ":push, :createdAt, :updatedAt)";

    @SqlUpdate(INSERT)
    void insert(@BindMethods Relay relay);

    /**
     * The same insert on an open handle without attaching this SQL object: {@code attach} reflects over the
     * interface and copies the configuration on every call, inside the write transaction of each new relay.
     */
    static void insert(Handle handle, Relay relay) {
        handle.createUpdate(INSERT).bindMethods(relay).execute();
    }

    /** Replaces the user-editable fields; status and sync state have their own statements. */
    @SqlUpdate("UPDATE relays SET name = :name, icon = :icon, description = :description, plan = :plan, "
            + "public_join = :publicJoin, strip_signatures = :stripSignatures, groups = :groups, management = :management, "
            + "blossom = :blossom, livekit = :livekit, push = :push, updated_at = :updatedAt WHERE id = :id")
    int update(@BindMethods Relay relay);

    @SqlQuery("SELECT * FROM relays WHERE id = :id")
    Optional<Relay> find(@Bind("id") String id);

    @SqlQuery("SELECT * FROM relays WHERE subdomain = :subdomain")
    Optional<Relay> findBySubdomain(@Bind("subdomain") String subdomain);

    @SqlQuery("SELECT * FROM relays WHERE tenant = :tenant ORDER BY created_at, id")
    List<Relay> listByTenant(@Bind("tenant") String tenant);

    @SqlQuery("SELECT * FROM relays ORDER BY created_at, id")
    List<Relay> list();

    @SqlUpdate("UPDATE relays SET status = :status, updated_at = :now WHERE id = :id")
    int setStatus(@Bind("id") String id, @Bind("status") String status, @Bind("now") long now);

    @SqlUpdate("UPDATE relays SET synced_at = :now, sync_error = NULL WHERE id = :id")
    int markSynced(@Bind("id") String id, @Bind("now") long now);

    @SqlUpdate("UPDATE relays SET sync_error = :error WHERE id = :id")
    int markSyncFailed(@Bind("id") String id, @Bind("error") String error);

    /** new → active, once: the row count says whether this call did it. */
    @SqlUpdate("UPDATE relays SET status = 'active', updated_at = :now WHERE id = :id AND status = 'new'")
    int activateIfNew(@Bind("id") String id, @Bind("now") long now);

    @SqlQuery("SELECT count(*) FROM relays WHERE tenant = :tenant AND id <> :id AND status = 'active' "
            + "AND plan IN (<paidPlans>)")
    int countOtherActivePaid(@Bind("tenant") String tenant, @Bind("id") String id,
                             @BindList("paidPlans") List<String> paidPlans);

    /**
     * Relays whose zooid state may be wrong: never synced, changed since the last sync, last sync failed,
     * or not confirmed since {@code staleBefore}. A conflict (host or schema held by another relay on zooid)
     * is left alone: retrying can't fix it, an edit of the relay or an operator's resync will try again.
     */
    @SqlQuery("SELECT id FROM relays WHERE (sync_error IS NULL OR sync_error NOT LIKE 'conflict:%') "
            + "AND (synced_at IS NULL OR synced_at < updated_at OR sync_error IS NOT NULL OR synced_at < :staleBefore) "
            + "ORDER BY id")
    List<String> dueForSync(@Bind("staleBefore") long staleBefore);

    @SqlQuery("SELECT id FROM relays ORDER BY id")
    List<String> allIds();

    /** Relays whose last sync failed for a reason a retry can fix (not a conflict), on the partial sync_error index. */
    @SqlQuery("SELECT id FROM relays WHERE sync_error IS NOT NULL AND sync_error NOT LIKE 'conflict:%' ORDER BY id")
    List<String> failingTransiently();

    @SqlQuery("SELECT * FROM relays WHERE tenant = :tenant AND status = :status ORDER BY created_at, id")
    List<Relay> listByTenantAndStatus(@Bind("tenant") String tenant, @Bind("status") String status);
    /**
     * Takes the relay's sync lease when nobody holds it or the holder's has run out (it died): the one
     * statement that decides which run, in any process, pushes this relay now.
     */
    @SqlUpdate("UPDATE relays SET sync_lease = :token, sync_lease_until = :until WHERE id = :id "
            + "AND (sync_lease IS NULL OR sync_lease_until < :now)")
    int claimSync(@Bind("id") String id, @Bind("token") String token, @Bind("now") long now, @Bind("until") long until);

    @SqlUpdate("UPDATE relays SET sync_lease = NULL, sync_lease_until = NULL WHERE id = :id AND sync_lease = :token")
    int releaseSync(@Bind("id") String id, @Bind("token") String token);

    /** The digest of the config zooid last confirmed for this relay (null: unknown). */
    @SqlQuery("SELECT synced_config FROM relays WHERE id = :id")
    Optional<String> syncedConfig(@Bind("id") String id);

    @SqlUpdate("UPDATE relays SET synced_config = :digest WHERE id = :id")
    int setSyncedConfig(@Bind("id") String id, @Bind("digest") String digest);

    /** Forgets what zooid holds, so the next sync pushes even an unchanged config (a sweep, an operator's resync). */
    @SqlUpdate("UPDATE relays SET synced_config = NULL WHERE id IN (<ids>)")
    int forgetSyncedConfig(@BindList("ids") List<String> ids);
}
