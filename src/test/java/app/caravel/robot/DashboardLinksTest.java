package app.caravel.robot;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** APP_URL links: the DMs that ask the tenant to act end with the page to act on; the others, and no APP_URL, none. */
class DashboardLinksTest {
    private final DashboardLinks links = new DashboardLinks(Optional.of("https://app.example.com"));

    @Test
    void eachMessageThatAsksToActLinksItsPage() {
        assertEquals("Pay.\nhttps://app.example.com/invoices/i1", links.append("Pay.", "invoice_created", "invoice", "i1"));
        assertEquals("Failed.\nhttps://app.example.com/invoices/i2", links.append("Failed.", "payment_failed", "invoice", "i2"));
        assertEquals("Paused.\nhttps://app.example.com/invoices/i3", links.append("Paused.", "relays_delinquent", "invoice", "i3"));
        assertEquals("Short.\nhttps://app.example.com/billing", links.append("Short.", "budget_short", "tenant", "t"));
    }

    @Test
    void newsThatAsksNothingAndNoAppUrlGetNoLink() {
        assertEquals("Live.", links.append("Live.", "relay_activated", "relay", "r1"));
        assertEquals("Back.", links.append("Back.", "relays_reactivated", "invoice", "i1"));
        assertEquals("Pay.", DashboardLinks.none().append("Pay.", "invoice_created", "invoice", "i1"));
    }
}
