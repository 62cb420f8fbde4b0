package app.caravel.billing;

import app.caravel.nostr.Nip47;
import app.caravel.nostr.NwcClient;
import app.caravel.nostr.NwcException;
import app.caravel.nostr.NwcUri;
import com.fasterxml.jackson.databind.JsonNode;

/** The three NIP-47 calls billing makes, amounts in sats at this edge and msats on the wire. (Open so a benchmark can put an instant wallet here.) */
public class Wallets {
    private final NwcClient nwc;

    public Wallets(NwcClient nwc) {
        this.nwc = nwc;
    }

    public record Bolt11(String invoice, String paymentHash) {
    }

    public enum PaymentState { SETTLED, PENDING, FAILED, NOT_FOUND }

    public Bolt11 makeInvoice(NwcUri wallet, long sats, String description) throws NwcException {
        JsonNode result = nwc.call(wallet, "make_invoice", Nip47.params().put("amount", sats * 1000)
                .put("description", description).put("expiry", 30 * 86400));
        if (result == null || !result.hasNonNull("invoice")) {
            throw new NwcException(Nip47.ErrorCode.OTHER, "make_invoice returned no invoice");
        }
        return new Bolt11(result.get("invoice").asText(), result.path("payment_hash").asText(null));
    }

    /** The state of a payment by its hash, as this wallet sees it (incoming for us, outgoing for a tenant). */
    public PaymentState lookup(NwcUri wallet, String paymentHash) throws NwcException {
        JsonNode result;
        try {
            result = nwc.call(wallet, "lookup_invoice", Nip47.params().put("payment_hash", paymentHash));
        } catch (NwcException e) {
            if (e.code() == Nip47.ErrorCode.NOT_FOUND) {
                return PaymentState.NOT_FOUND;
            }
            throw e;
        }
        String state = result == null ? "" : result.path("state").asText("");
        if ("settled".equals(state) || result != null && (result.hasNonNull("settled_at") || result.hasNonNull("preimage")
                && !result.path("preimage").asText().isEmpty())) {
            return PaymentState.SETTLED;
        }
        return switch (state) {
            case "failed", "expired" -> PaymentState.FAILED;
            default -> PaymentState.PENDING;
        };
    }

    public void pay(NwcUri wallet, String bolt11) throws NwcException {
        nwc.call(wallet, "pay_invoice", Nip47.params().put("invoice", bolt11));
    }
}
