package app.caravel.infra;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A relay's members, asked of zooid each time (zooid holds them; we keep no copy to go stale). With zooid sync
 * off no relay is on zooid, so none has members.
 */
public final class RelayMembers {
    private final Optional<ZooidClient> zooid;

    public RelayMembers(Optional<ZooidClient> zooid) {
        this.zooid = zooid;
    }

    /** Thrown when zooid can't say: unreachable, an error status or an answer of the wrong shape. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message);
        }
    }

    public List<String> of(String relayId) throws Unavailable, InterruptedException {
        if (zooid.isEmpty()) {
            return List.of();
        }
        try {
            ZooidClient.Reply reply = zooid.get().get(ZooidMembers.path(relayId));
            if (reply.status() == 404) {
                return List.of(); // never synced (or zooid lost it): nobody has joined it there
            }
            if (reply.status() != 200) {
                throw new Unavailable("zooid answered " + reply.status() + " for the member list");
            }
            return ZooidMembers.parse(reply.body());
        } catch (IOException e) {
            throw new Unavailable("zooid unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }
}
