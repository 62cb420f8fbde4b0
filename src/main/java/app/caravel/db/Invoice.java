package app.caravel.db;

/**
 * A monthly invoice in sats. {@code payingAt} is set, and committed, before a {@code pay_invoice} is sent
 * and cleared once its outcome is known: while it is set, nobody may pay again without asking the wallet
 * named by {@code payingWallet}. {@code expiresAt} is when the BOLT11 stops being payable; an invoice whose
 * {@code bolt11} is still null has been claimed (it exists, once) but not yet made by the platform wallet.
 * {@code attemptedWallet} is the wallet of the last attempt: one attempt a day per wallet.
 */
public record Invoice(String id, String tenant, long periodStart, long periodEnd, long amount, String bolt11,
                      String paymentHash, String status, long createdAt, Long attemptedAt, Long sentAt,
                      Long paidAt, Long closedAt, String error, Long payingAt, String payingWallet, Long expiresAt,
                      String attemptedWallet, Long makingUntil) {
    public static final String PENDING = "pending";
    public static final String PAID = "paid";
    public static final String CLOSED = "closed";

}
