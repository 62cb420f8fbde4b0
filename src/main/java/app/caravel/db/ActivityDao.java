package app.caravel.db;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;

/** Append-only: there is no update or delete here on purpose; billing replays this history. */
@RegisterRowMapper(RowMappers.ActivityMapper.class)
public interface ActivityDao {
    String INSERT = "INSERT INTO activity (id, tenant, created_at, activity_type, resource_type, resource_id, snapshot) "
            + "VALUES (:id, :tenant, :createdAt, :activityType, :resourceType, :resourceId, :snapshot)";

    @SqlUpdate(INSERT)
    void insert(@BindMethods Activity activity);

    /** The same insert on an open handle without attaching this SQL object (see {@link RelayDao#insert(Handle, Relay)}). */
    static void insert(Handle handle, Activity activity) {
        handle.createUpdate(INSERT).bindMethods(activity).execute();
    }

    @SqlQuery("SELECT * FROM activity WHERE resource_type = :type AND resource_id = :id ORDER BY created_at, seq")
    List<Activity> forResource(@Bind("type") String resourceType, @Bind("id") String resourceId);

    @SqlQuery("SELECT * FROM activity WHERE tenant = :tenant ORDER BY created_at, seq")
    List<Activity> forTenant(@Bind("tenant") String tenant);

    /** Every relay entry of a tenant before {@code before}, oldest first: what billing replays. */
    @SqlQuery("SELECT * FROM activity WHERE tenant = :tenant AND resource_type = 'relay' AND created_at < :before "
            + "ORDER BY created_at, seq")
    List<Activity> relayHistory(@Bind("tenant") String tenant, @Bind("before") long before);
}
