package app.caravel.db;

/** One relay's charge on an invoice, per plan segment. */
public record InvoiceItem(String invoice, String relay, String plan, long hours, long amount) {
}
