package app.caravel.robot;

import app.caravel.nostr.KeyPair;

import java.util.List;

/** The robot's identity and relays (ROBOT_*). */
public record RobotSettings(KeyPair keys, String name, String about, String picture, List<String> outboxRelays,
                            List<String> indexerRelays, List<String> messagingRelays) {
}
