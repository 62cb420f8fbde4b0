package app.caravel.support;

import app.caravel.db.Database;
import app.caravel.db.Invoice;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Every tenant invoiced once and paid once", judged where the money is, on the wallet doubles' ledger, as well
 * as in our tables: the crash and multi-process billing tests end with it.
 */
public final class PaidOnce {
    private PaidOnce() {
    }

    public static long paidInvoices(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM invoices WHERE status = 'paid'")
                .mapTo(Long.class).one());
    }

    /** One invoice per tenant, each paid, each paid by its own tenant's wallet exactly once, nothing else paid. */
    public static void assertEveryTenantPaidOnce(Database db, WalletService.Ledger ledger, List<String> clients,
                                                 String context) {
        assertEquals(clients.size(), paidInvoices(db), "every tenant paid (" + context + ")");
        List<Invoice> invoices = db.invoices().list();
        assertEquals(clients.size(), invoices.size(), "one invoice per tenant and period");
        for (Invoice invoice : invoices) {
            assertTrue(ledger.settled(invoice.paymentHash()), "the invoice's BOLT11 was really paid");
        }
        Map<String, Long> paidBy = ledger.settledByClient();
        assertEquals(clients.size(), paidBy.size(), "every tenant's wallet paid (" + context + ")");
        assertTrue(paidBy.keySet().containsAll(clients));
        assertTrue(paidBy.values().stream().allMatch(n -> n == 1), "each exactly once (" + context + "): " + paidBy);
        assertEquals(clients.size(), ledger.settledCount(), "no other payment on the ledger");
    }
}
