package app.caravel.billing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Rolling months from a tenant's billing anchor: period k is [anchor + k months, anchor + k+1 months),
 * each computed from the anchor (never chained), so a 31st-of-the-month anchor comes back every month it can.
 */
public final class BillingCycle {
    private BillingCycle() {
    }

    public static Period period(long anchor, int k) {
        ZonedDateTime base = ZonedDateTime.ofInstant(Instant.ofEpochSecond(anchor), ZoneOffset.UTC);
        return new Period(base.plusMonths(k).toEpochSecond(), base.plusMonths(k + 1L).toEpochSecond());
    }

    /** The period that {@code now} falls in (the first one for a time before the anchor). */
    public static Period current(long anchor, long now) {
        for (int k = 0; k < 12 * 200; k++) {
            Period period = period(anchor, k);
            if (period.end() > now) {
                return period;
            }
        }
        throw new IllegalArgumentException("more than 200 years after the billing anchor");
    }

    /** The earliest period that starts at or after {@code from} and has closed by {@code now}. */
    public static Optional<Period> nextClosed(long anchor, long from, long now) {
        for (int k = 0; k < 12 * 200; k++) {
            Period period = period(anchor, k);
            if (period.end() > now) {
                return Optional.empty();
            }
            if (period.start() >= from) {
                return Optional.of(period);
            }
        }
        return Optional.empty();
    }
}
