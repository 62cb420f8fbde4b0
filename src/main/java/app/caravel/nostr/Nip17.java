package app.caravel.nostr;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** NIP-17 private direct messages: a kind 14 rumor, sealed and gift-wrapped with {@link Nip59}. */
public final class Nip17 {
    public static final int DIRECT_MESSAGE = 14;
    public static final int DM_RELAYS = 10050;

    private final Clock clock;
    private final Nip59 nip59;

    public Nip17(Clock clock) {
        this.clock = clock;
        this.nip59 = new Nip59(clock);
    }

    public Event rumor(KeyPair sender, String recipientPubkey, String text, String subject) {
        List<List<String>> tags = new ArrayList<>();
        tags.add(List.of("p", recipientPubkey));
        if (subject != null && !subject.isEmpty()) {
            tags.add(List.of("subject", subject));
        }
        return Event.unsigned(sender.pubkey(), clock.instant().getEpochSecond(), DIRECT_MESSAGE, tags, text);
    }

    /** The gift wrap to publish to the recipient's DM relays. */
    public Event wrap(KeyPair sender, String recipientPubkey, String text, String subject) {
        return nip59.wrap(rumor(sender, recipientPubkey, text, subject), sender, recipientPubkey);
    }

    /** The kind 14 rumor inside a wrap, after every check of {@link Nip59#unwrap}. */
    public static Event open(Event wrap, KeyPair recipient) {
        Event rumor = Nip59.unwrap(wrap, recipient).rumor();
        if (rumor.kind() != DIRECT_MESSAGE) {
            throw new IllegalArgumentException("not a direct message");
        }
        return rumor;
    }
}
