package app.caravel.robot;

import java.util.Optional;
import java.util.Set;

/**
 * Links to the tenant dashboard (APP_URL) in the DMs that ask the tenant to act (SPEC §5.3): the page that acts
 * on the message's resource. Chosen paths: an invoice at {@code /invoices/<id>}, a relay at {@code /relays/<id>},
 * the tenant's wallet and billing at {@code /billing}. Without APP_URL a DM carries no link.
 */
public record DashboardLinks(Optional<String> appUrl) {
    /** The messages that ask for something: pay, top up, reconnect a wallet. */
    private static final Set<String> ACTING = Set.of("invoice_created", "payment_failed", "relays_delinquent",
            "budget_short");

    public static DashboardLinks none() {
        return new DashboardLinks(Optional.empty());
    }

    /** {@code text} with the page to act on appended, for the messages that ask the tenant to act. */
    public String append(String text, String messageType, String resourceType, String resourceId) {
        if (appUrl.isEmpty() || !ACTING.contains(messageType)) {
            return text;
        }
        String page = switch (resourceType) {
            case "invoice" -> "/invoices/" + resourceId;
            case "relay" -> "/relays/" + resourceId;
            default -> "/billing";
        };
        return text + "\n" + appUrl.get() + page;
    }
}
