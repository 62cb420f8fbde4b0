package app.caravel.db;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Row mappers for the hot tables, written out by hand: JDBI's reflective ConstructorMapper re-specialises
 * itself for every statement, which was the largest Java cost of an authenticated GET /relays.
 */
public final class RowMappers {
    private RowMappers() {
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    public static final class TenantMapper implements RowMapper<Tenant> {
        @Override
        public Tenant map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Tenant(rs.getString("pubkey"), rs.getString("nwc_url"), rs.getString("nwc_error"),
                    rs.getLong("created_at"), nullableLong(rs, "billing_anchor"), rs.getString("status"));
        }
    }

    public static final class RelayMapper implements RowMapper<Relay> {
        /** The columns {@link #map} reads: a query that names them leaves the sync bookkeeping unread. */
        public static final java.util.List<String> COLUMNS = java.util.List.of("id", "tenant", "subdomain", "schema",
                "name", "icon", "description", "plan", "status", "sync_error", "synced_at", "secret", "public_join",
                "strip_signatures", "groups", "management", "blossom", "livekit", "push", "created_at", "updated_at");

        @Override
        public Relay map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Relay(rs.getString("id"), rs.getString("tenant"), rs.getString("subdomain"),
                    rs.getString("schema"), rs.getString("name"), rs.getString("icon"), rs.getString("description"),
                    rs.getString("plan"), rs.getString("status"), rs.getString("sync_error"),
                    nullableLong(rs, "synced_at"), rs.getString("secret"), rs.getBoolean("public_join"),
                    rs.getBoolean("strip_signatures"), rs.getBoolean("groups"), rs.getBoolean("management"),
                    rs.getBoolean("blossom"), rs.getBoolean("livekit"), rs.getBoolean("push"), rs.getLong("created_at"),
                    rs.getLong("updated_at"));
        }
    }

    public static final class ActivityMapper implements RowMapper<Activity> {
        @Override
        public Activity map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Activity(rs.getString("id"), rs.getString("tenant"), rs.getLong("created_at"),
                    rs.getString("activity_type"), rs.getString("resource_type"), rs.getString("resource_id"),
                    rs.getString("snapshot"));
        }
    }
}
