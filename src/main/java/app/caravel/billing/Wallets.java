package app.caravel.billing;

import app.caravel.nostr.Nip47;
import app.caravel.nostr.NwcClient;
import app.caravel.nostr.NwcException;
import app.caravel.nostr.NwcUri;
import com.fasterxml.jackson.databind.JsonNode;

/** The NIP-47 calls billing makes, amounts in sats at this edge and msats on the wire. (Open so a benchmark can put an instant wallet here.) */
public class Wallets {
    /** How long a BOLT11 we ask for stays payable. */
    public static final long INVOICE_EXPIRY_SECONDS = 30 * 86_400L;

    private final NwcClient nwc;

    public Wallets(NwcClient nwc) {
        this.nwc = nwc;
    }

    /** A BOLT11 and when it stops being payable (unix seconds). */
    public record Bolt11(String invoice, String paymentHash, long expiresAt) {
    }

    public enum PaymentState { SETTLED, PENDING, FAILED, NOT_FOUND }

    public Bolt11 makeInvoice(NwcUri wallet, long sats, String description, long now) throws NwcException {
        JsonNode result = nwc.call(wallet, "make_invoice", Nip47.params().put("amount", sats * 1000)
                .put("description", description).put("expiry", INVOICE_EXPIRY_SECONDS));
        if (result == null || !result.path("invoice").isTextual() || !result.path("payment_hash").isTextual()) {
            throw NwcException.unreadable("make_invoice returned no invoice or payment hash");
        }
        // the wallet's own expiry when it says one, else the one we asked for
        long expiresAt = result.path("expires_at").canConvertToLong() && result.path("expires_at").asLong() > now
                ? result.path("expires_at").asLong() : now + INVOICE_EXPIRY_SECONDS;
        return new Bolt11(result.get("invoice").asText(), result.get("payment_hash").asText(), expiresAt);
    }

    /**
     * The state of a payment by its hash, as this wallet sees it (incoming for us, outgoing for a tenant).
     * {@code state} decides when the wallet gives one; without it only a {@code settled_at} after the epoch
     * means settled. A preimage alone proves nothing: the payee of an incoming invoice knows it from the start,
     * and some wallets return it on unpaid invoices.
     */
    public PaymentState lookup(NwcUri wallet, String paymentHash) throws NwcException {
        JsonNode result;
        try {
            result = nwc.call(wallet, "lookup_invoice", Nip47.params().put("payment_hash", paymentHash));
        } catch (NwcException e) {
            if (e.refused() && e.code() == Nip47.ErrorCode.NOT_FOUND) {
                return PaymentState.NOT_FOUND;
            }
            throw e;
        }
        return stateOf(result);
    }

    static PaymentState stateOf(JsonNode result) {
        JsonNode state = result.path("state");
        if (state.isTextual()) {
            return switch (state.asText()) {
                case "settled" -> PaymentState.SETTLED;
                case "failed", "expired" -> PaymentState.FAILED;
                default -> PaymentState.PENDING;
            };
        }
        JsonNode settledAt = result.path("settled_at");
        return settledAt.canConvertToLong() && settledAt.asLong() > 0 ? PaymentState.SETTLED : PaymentState.PENDING;
    }

    /**
     * What the wallet will let us take, in sats (SPEC §5.2): the budget left ({@code get_budget}); with no budget
     * set, or no budget method, the balance ({@code get_balance}); empty when it tells neither.
     */
    public java.util.OptionalLong allowance(NwcUri wallet) throws NwcException {
        JsonNode budget = callUnlessUnsupported(wallet, "get_budget");
        if (budget != null && budget.path("total_budget").canConvertToLong()) {
            long left = budget.path("total_budget").asLong() - budget.path("used_budget").asLong(0);
            return java.util.OptionalLong.of(Math.max(0, left) / 1000);
        }
        JsonNode balance = callUnlessUnsupported(wallet, "get_balance");
        if (balance != null && balance.path("balance").canConvertToLong()) {
            return java.util.OptionalLong.of(Math.max(0, balance.path("balance").asLong()) / 1000);
        }
        return java.util.OptionalLong.empty();
    }

    private JsonNode callUnlessUnsupported(NwcUri wallet, String method) throws NwcException {
        try {
            return nwc.call(wallet, method, Nip47.params());
        } catch (NwcException e) {
            if (e.refused() && e.code() == Nip47.ErrorCode.NOT_IMPLEMENTED) {
                return null;
            }
            throw e;
        }
    }

    public void pay(NwcUri wallet, String bolt11) throws NwcException {
        nwc.call(wallet, "pay_invoice", Nip47.params().put("invoice", bolt11));
    }
}
