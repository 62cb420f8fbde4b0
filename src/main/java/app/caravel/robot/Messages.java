package app.caravel.robot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** What the robot says, one method per trigger of SPEC §5.3: short, with the address, sats and BOLT11. */
public final class Messages {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private Messages() {
    }

    public static String relayActivated(String host) {
        return "Your relay wss://" + host + " is live. Point your Nostr client at it and invite your community.";
    }

    public static String syncFailing(String host, String error) {
        return "We have not been able to update your relay wss://" + host + " for over an hour. We keep retrying "
                + "and will tell you when it is back. Last error: " + error;
    }

    public static String invoiceCreated(long periodStart, long periodEnd, long sats, String bolt11, boolean hasWallet) {
        String period = day(periodStart) + " – " + day(periodEnd);
        String pay = hasWallet
                ? "We will collect it from your connected wallet; to pay it yourself, use this Lightning invoice:\n"
                : "Pay it with this Lightning invoice:\n";
        return "Your Caravel invoice for " + period + ": " + sats(sats) + ". " + pay + bolt11;
    }

    public static String paymentFailed(long sats, String reason, String bolt11) {
        return "We could not collect " + sats(sats) + " from your connected wallet: " + reason
                + ". Top up or update your wallet, or pay this Lightning invoice:\n" + bolt11;
    }

    public static String relaysDelinquent(List<String> hosts, long sats, String bolt11) {
        return "Your invoice of " + sats(sats) + " is more than a week overdue, so these relays are paused: "
                + relays(hosts) + ". Pay this Lightning invoice to bring them back:\n" + bolt11;
    }

    public static String relaysReactivated(List<String> hosts) {
        return "Thank you, your payment arrived. These relays are back online: " + relays(hosts) + ".";
    }

    public static String budgetShort(long expectedSats, long allowedSats, long periodEnd) {
        return "Your next Caravel invoice, made on " + day(periodEnd) + ", will be about " + sats(expectedSats)
                + ", but your connected wallet will only let us take " + sats(allowedSats) + " (its budget or balance). "
                + "Raise the budget or top up before then so the payment goes through.";
    }

    static String sats(long amount) {
        return String.format(Locale.ENGLISH, "%,d sats", amount);
    }

    private static String relays(List<String> hosts) {
        return String.join(", ", hosts.stream().map(h -> "wss://" + h).toList());
    }

    private static String day(long epochSeconds) {
        return DAY.format(Instant.ofEpochSecond(epochSeconds));
    }
}
