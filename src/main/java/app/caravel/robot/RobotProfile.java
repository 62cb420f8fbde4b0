package app.caravel.robot;

import app.caravel.nostr.Event;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** The robot's three replaceable events: kind 0 profile, kind 10002 relay list, kind 10050 DM relays. */
public final class RobotProfile {
    public static final int METADATA = 0;
    public static final int RELAY_LIST = 10002;
    public static final int DM_RELAYS = 10050;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RobotProfile() {
    }

    public static List<Event> events(RobotSettings robot, long now) {
        ObjectNode profile = JSON.createObjectNode();
        profile.put("name", robot.name());
        profile.put("about", robot.about());
        if (!robot.picture().isEmpty()) {
            profile.put("picture", robot.picture());
        }
        return List.of(
                Event.sign(robot.keys(), now, METADATA, List.of(), profile.toString()),
                Event.sign(robot.keys(), now, RELAY_LIST,
                        robot.outboxRelays().stream().map(url -> List.of("r", url)).toList(), ""),
                Event.sign(robot.keys(), now, DM_RELAYS,
                        robot.messagingRelays().stream().map(url -> List.of("relay", url)).toList(), ""));
    }
}
