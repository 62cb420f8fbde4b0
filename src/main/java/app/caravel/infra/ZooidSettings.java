package app.caravel.infra;

import app.caravel.nostr.KeyPair;

import java.util.Optional;

/** What the infra sync needs from configuration; {@code signer} holds ZOOID_API_SECRET. */
public record ZooidSettings(String baseUrl, KeyPair signer, String relayDomain, Optional<Livekit> livekit) {

    /** LiveKit credentials sent to zooid for relays whose plan includes it. */
    public record Livekit(String serverUrl, String apiKey, String apiSecret) {
        @Override
        public String toString() {
            return "Livekit[serverUrl=" + serverUrl + ", apiKey=<redacted>, apiSecret=<redacted>]";
        }
    }
}
