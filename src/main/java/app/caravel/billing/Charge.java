package app.caravel.billing;

/** One relay's usage of one plan in a period: hours started while active, and their price in sats. */
public record Charge(String relay, String plan, long hours, long amount) {
}
