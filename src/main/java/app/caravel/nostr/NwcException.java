package app.caravel.nostr;

/**
 * A NIP-47 call that did not give a result. Only {@link Kind#REFUSED}, a well-formed error answer from the
 * wallet, says for certain that the wallet did not do what was asked; after no answer, or an answer that
 * could not be read, the outcome is unknown.
 */
public class NwcException extends Exception {
    public enum Kind { REFUSED, NO_ANSWER, UNREADABLE }

    private final Kind kind;
    private final Nip47.ErrorCode code;

    private NwcException(Kind kind, Nip47.ErrorCode code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    /** The wallet answered with a well-formed NIP-47 error. */
    public static NwcException refused(Nip47.ErrorCode code, String message) {
        return new NwcException(Kind.REFUSED, code, message);
    }

    /** No answer in time (or no wallet relay reachable): the request may or may not have been carried out. */
    public static NwcException noAnswer(String message) {
        return new NwcException(Kind.NO_ANSWER, null, message);
    }

    /** Something came back that is not a well-formed answer: as unknown as no answer. */
    public static NwcException unreadable(String message) {
        return new NwcException(Kind.UNREADABLE, null, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The wallet's NIP-47 error code; null unless {@link #refused()}. */
    public Nip47.ErrorCode code() {
        return code;
    }

    public boolean refused() {
        return kind == Kind.REFUSED;
    }

    /** The error code, or TIMEOUT / UNREADABLE: what a tenant is told a failure was, once per kind. */
    public String kindName() {
        return switch (kind) {
            case REFUSED -> code.name();
            case NO_ANSWER -> "TIMEOUT";
            case UNREADABLE -> "UNREADABLE";
        };
    }

    /** What a tenant is told: the kind and the wallet's words. */
    public String describe() {
        return kindName() + (getMessage() == null || getMessage().isEmpty() ? "" : ": " + getMessage());
    }
}
