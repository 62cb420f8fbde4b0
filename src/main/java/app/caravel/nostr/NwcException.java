package app.caravel.nostr;

/** A wallet said no (with a NIP-47 code), or did not answer in time ({@link #timedOut()}). */
public class NwcException extends Exception {
    private final Nip47.ErrorCode code;

    public NwcException(Nip47.ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** Null when the wallet never answered. */
    public Nip47.ErrorCode code() {
        return code;
    }

    public boolean timedOut() {
        return code == null;
    }

    /** What a tenant is told: the code and the wallet's words. */
    public String describe() {
        return (code == null ? "TIMEOUT" : code.name()) + (getMessage() == null || getMessage().isEmpty() ? ""
                : ": " + getMessage());
    }
}
