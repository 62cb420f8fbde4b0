package app.caravel.nostr;

import java.time.Clock;
import java.util.List;

/**
 * NIP-59 seal (kind 13, signed by the sender) inside a gift wrap (kind 1059, signed by a one-off key),
 * both NIP-44 encrypted and both with created_at pushed up to two days into the past so relays and
 * observers can't line the wrap up with the moment it was sent.
 */
public final class Nip59 {
    public static final int SEAL = 13;
    public static final int GIFT_WRAP = 1059;
    private static final long TWO_DAYS = 2 * 24 * 3600;

    private final Clock clock;

    public Nip59(Clock clock) {
        this.clock = clock;
    }

    public record Unwrapped(Event wrap, Event seal, Event rumor) {
    }

    public Event wrap(Event rumor, KeyPair sender, String recipientPubkey) {
        if (rumor.sig() != null || !rumor.pubkey().equals(sender.pubkey()) || !rumor.hasValidId()) {
            throw new IllegalArgumentException("a rumor is unsigned, by the sender, with a valid id");
        }
        String sealed = Nip44.encrypt(rumor.toJson(), Nip44.conversationKey(sender, recipientPubkey));
        Event seal = Event.sign(sender, randomPast(), SEAL, List.of(), sealed);
        KeyPair oneOff = KeyPair.generate();
        String wrapped = Nip44.encrypt(seal.toJson(), Nip44.conversationKey(oneOff, recipientPubkey));
        return Event.sign(oneOff, randomPast(), GIFT_WRAP, List.of(List.of("p", recipientPubkey)), wrapped);
    }

    /** Opens a wrap addressed to {@code recipient}, checking both signatures and that the seal's author wrote the rumor. */
    public static Unwrapped unwrap(Event wrap, KeyPair recipient) {
        if (wrap.kind() != GIFT_WRAP || !wrap.verify()) {
            throw new IllegalArgumentException("not a valid gift wrap");
        }
        Event seal = Event.fromJson(Nip44.decrypt(wrap.content(), Nip44.conversationKey(recipient, wrap.pubkey())));
        if (seal.kind() != SEAL || !seal.verify()) {
            throw new IllegalArgumentException("not a valid seal");
        }
        Event rumor = Event.fromJson(Nip44.decrypt(seal.content(), Nip44.conversationKey(recipient, seal.pubkey())));
        if (!rumor.pubkey().equals(seal.pubkey()) || !rumor.hasValidId()) {
            throw new IllegalArgumentException("rumor author differs from seal author, or bad rumor id");
        }
        return new Unwrapped(wrap, seal, rumor);
    }

    private long randomPast() {
        long now = clock.instant().getEpochSecond();
        long offset = Math.floorMod(java.nio.ByteBuffer.wrap(Crypto.randomBytes(8)).getLong(), TWO_DAYS);
        return now - offset;
    }
}
