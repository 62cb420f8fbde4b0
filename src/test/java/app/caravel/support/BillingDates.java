package app.caravel.support;

import app.caravel.billing.BillingCycle;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Dates for billing runs of a real server. Its hourly recurring {@code billing-tick} runs on the wall clock too, so
 * tenants anchored at a fixed date (2025) would owe a second period when that tick fires mid-test: 35 days ago is
 * an anchor whose first period has closed and whose second is not yet due, at any wall-clock time.
 */
public final class BillingDates {
    /** Midnight UTC 35 days ago. */
    public static final long ANCHOR = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(35, ChronoUnit.DAYS).getEpochSecond();
    /** An hour after the first period's end: the {@code at} of a tick that bills it. */
    public static final long AT = BillingCycle.period(ANCHOR, 0).end() + 3600;

    private BillingDates() {
    }
}
