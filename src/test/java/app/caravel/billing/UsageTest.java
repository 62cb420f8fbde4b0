package app.caravel.billing;

import app.caravel.db.Activity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Worked examples with the exact sats expected. Hours in a period: 28 d = 672, 30 d = 720, 31 d = 744. */
class UsageTest {
    private static final long H = 3600;
    private static final long JAN_15 = Instant.parse("2025-01-15T00:00:00Z").getEpochSecond();

    /** A relay's history: pairs of (hours after the period start, "plan/status"). */
    private static List<Activity> history(Period period, Object... events) {
        List<Activity> out = new ArrayList<>();
        for (int i = 0; i < events.length; i += 2) {
            long at = period.start() + Math.round(((Number) events[i]).doubleValue() * H);
            String[] state = ((String) events[i + 1]).split("/");
            out.add(new Activity("a" + i, "t", at, "update_relay", "relay", "r",
                    "{\"plan\":\"" + state[0] + "\",\"status\":\"" + state[1] + "\"}"));
        }
        return out;
    }

    private static long total(List<Charge> charges) {
        return charges.stream().mapToLong(Charge::amount).sum();
    }

    @ParameterizedTest(name = "period {0}: {1} days")
    @CsvSource({"0, 31, 744", "1, 28, 672", "2, 31, 744", "3, 30, 720"})
    void periodsAreCalendarMonthsFromTheAnchor(int k, int days, long hours) {
        Period period = BillingCycle.period(JAN_15, k);
        assertEquals(days * 86400L, period.end() - period.start());
        assertEquals(hours, period.hours());
        assertEquals(10_000, total(Usage.of("r", history(period, -1, "basic/active"), period)),
                "a whole period costs the plan's monthly price, whatever its length");
    }

    @Test
    void anAnchorOnThe31stComesBackEveryMonthItCan() {
        long jan31 = Instant.parse("2025-01-31T12:00:00Z").getEpochSecond();
        assertEquals(Instant.parse("2025-02-28T12:00:00Z").getEpochSecond(), BillingCycle.period(jan31, 0).end());
        assertEquals(Instant.parse("2025-03-31T12:00:00Z").getEpochSecond(), BillingCycle.period(jan31, 2).start());
        assertEquals(Instant.parse("2025-04-30T12:00:00Z").getEpochSecond(), BillingCycle.period(jan31, 3).start());
    }

    @Test
    void onlyClosedPeriodsAreBilled() {
        Period first = BillingCycle.period(JAN_15, 0);
        assertTrue(BillingCycle.nextClosed(JAN_15, JAN_15, first.end() - 1).isEmpty());
        assertEquals(first, BillingCycle.nextClosed(JAN_15, JAN_15, first.end()).orElseThrow());
        Period second = BillingCycle.period(JAN_15, 1);
        assertEquals(second, BillingCycle.nextClosed(JAN_15, first.end(), second.end() + 10).orElseThrow());
    }

    @Test
    void createdMidPeriod() {
        Period april = BillingCycle.period(JAN_15, 3); // 720 h
        List<Charge> charges = Usage.of("r", history(april, 240, "basic/new", 240.2, "basic/active"), april);
        assertEquals(List.of(new Charge("r", "basic", 480, 6_666)), charges);
    }

    @Test
    void upgradedMidPeriodChargesEachPlanForItsHours() {
        Period april = BillingCycle.period(JAN_15, 3);
        List<Charge> charges = Usage.of("r", history(april, -5, "basic/active", 360.5, "growth/active"), april);
        assertEquals(List.of(new Charge("r", "basic", 361, 5_013), new Charge("r", "growth", 360, 25_000)), charges);
        assertEquals(30_013, total(charges));
    }

    @Test
    void downgradedToFreeMidPeriod() {
        Period april = BillingCycle.period(JAN_15, 3);
        assertEquals(List.of(new Charge("r", "growth", 100, 6_944)),
                Usage.of("r", history(april, -5, "growth/active", 100, "free/active"), april));
    }

    @Test
    void deactivatedAndReactivated() {
        Period april = BillingCycle.period(JAN_15, 3);
        List<Activity> events = history(april, -5, "basic/active", 200, "basic/inactive", 500, "basic/new",
                500.1, "basic/active");
        assertEquals(List.of(new Charge("r", "basic", 420, 5_833)), Usage.of("r", events, april));
    }

    @Test
    void freeRelaysCostNothing() {
        Period april = BillingCycle.period(JAN_15, 3);
        assertEquals(List.of(), Usage.of("r", history(april, -5, "free/active"), april));
    }

    @Test
    void createdAndDeactivatedInTheSameHourPaysOneHour() {
        Period january = BillingCycle.period(JAN_15, 0); // 744 h
        List<Activity> events = history(january, 10.1, "basic/new", 10.15, "basic/active", 10.6, "basic/inactive");
        assertEquals(List.of(new Charge("r", "basic", 1, 13)), Usage.of("r", events, january));
    }

    @Test
    void delinquentAndPendingTimeCostsNothing() {
        Period april = BillingCycle.period(JAN_15, 3);
        List<Activity> events = history(april, -5, "growth/active", 72, "growth/delinquent", 144, "growth/new",
                147, "growth/active");
        // active [0,72) and [147,720): 72 + 573 = 645 h
        assertEquals(List.of(new Charge("r", "growth", 645, 44_791)), Usage.of("r", events, april));
    }

    @Test
    void historyBeforeAndAfterThePeriodIsIgnored() {
        Period february = BillingCycle.period(JAN_15, 1); // 672 h
        List<Activity> events = history(february, -700, "growth/active", -100, "basic/active", 700, "growth/active");
        assertEquals(List.of(new Charge("r", "basic", 672, 10_000)), Usage.of("r", events, february));
    }

    @Test
    void aTenantWithSeveralRelaysPaysTheSum() {
        Period april = BillingCycle.period(JAN_15, 3);
        long sum = total(Usage.of("a", history(april, -5, "basic/active"), april))
                + total(Usage.of("b", history(april, -5, "growth/active"), april))
                + total(Usage.of("c", history(april, -5, "free/active"), april))
                + total(Usage.of("d", history(april, 360, "basic/active"), april));
        assertEquals(10_000 + 50_000 + 0 + 5_000, sum);
    }
}
