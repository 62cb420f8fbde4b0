package app.caravel.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;

@RegisterConstructorMapper(Message.class)
public interface MessageDao {
    /** Returns 0 when a message with the same dedupe key exists: each trigger speaks once. */
    @SqlUpdate("INSERT INTO messages (id, recipient, message_type, resource_type, resource_id, dedupe_key, body, "
            + "status, attempts, created_at) VALUES (:id, :recipient, :messageType, :resourceType, :resourceId, :dedupeKey, "
            + ":body, 'pending', 0, :createdAt) ON CONFLICT DO NOTHING")
    int insert(@BindMethods Message message);

    @SqlQuery("SELECT * FROM messages WHERE id = :id")
    Optional<Message> find(@Bind("id") String id);

    @SqlQuery("SELECT * FROM messages WHERE recipient = :recipient ORDER BY created_at, seq")
    List<Message> forRecipient(@Bind("recipient") String recipient);

    @SqlQuery("SELECT * FROM messages ORDER BY created_at, seq")
    List<Message> list();

    /** Stores the wrap the first time only; later attempts keep and re-send that same event. */
    @SqlUpdate("UPDATE messages SET wrap_event = :wrap, wrap_id = :wrapId WHERE id = :id AND wrap_event IS NULL")
    int setWrapIfAbsent(@Bind("id") String id, @Bind("wrap") String wrapEvent, @Bind("wrapId") String wrapId);

    @SqlUpdate("UPDATE messages SET status = 'sent', sent_at = :now, relays_accepted = :relays, last_error = NULL, "
            + "attempts = attempts + 1 WHERE id = :id AND status = 'pending'")
    int markSent(@Bind("id") String id, @Bind("now") long now, @Bind("relays") String relaysAccepted);

    @SqlUpdate("UPDATE messages SET attempts = attempts + 1, last_error = :error WHERE id = :id")
    int markAttemptFailed(@Bind("id") String id, @Bind("error") String error);

    /** Pending messages created since {@code since}: what the sweep hands to the sender again. */
    @SqlQuery("SELECT id FROM messages WHERE status = 'pending' AND created_at >= :since ORDER BY created_at, seq")
    List<String> pendingIdsSince(@Bind("since") long since);

    @SqlQuery("SELECT count(*) FROM messages WHERE status = 'pending' AND created_at <= :before")
    int countPendingBefore(@Bind("before") long before);
}
