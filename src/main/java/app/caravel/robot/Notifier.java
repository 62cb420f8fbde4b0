package app.caravel.robot;

import org.jdbi.v3.core.Handle;

/** Tells a tenant something through the robot. Called inside the transaction that made the news. */
public interface Notifier {

    /**
     * @param dedupeKey identifies the trigger: the same key never produces a second message
     */
    void notify(Handle handle, String recipient, String messageType, String resourceType, String resourceId,
                String dedupeKey, String text);
}
