package app.caravel.billing;

import app.caravel.db.Activity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage from the activity history (never the relay's current row). Each activity entry snapshots the
 * relay's plan and status from that instant until the next entry. An hour of the period is charged for a
 * plan when the relay was `active` on that paid plan at any moment of it (each started hour rounded up,
 * so a relay up for 10 minutes pays one hour, and an hour with a plan change counts for both plans).
 * Price per plan: hours × monthly sats ÷ hours in the period, rounded down to the sat.
 */
public final class Usage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Usage() {
    }

    /** @param history one relay's activity, oldest first */
    public static List<Charge> of(String relayId, List<Activity> history, Period period) {
        Map<String, BitSet> hoursByPlan = new LinkedHashMap<>();
        for (int i = 0; i < history.size(); i++) {
            JsonNode state = snapshot(history.get(i));
            long from = Math.max(history.get(i).createdAt(), period.start());
            long to = Math.min(i + 1 < history.size() ? history.get(i + 1).createdAt() : Long.MAX_VALUE, period.end());
            String plan = state.path("plan").asText("");
            if (from >= to || !"active".equals(state.path("status").asText())
                    || Plans.find(plan).filter(Plan::isPaid).isEmpty()) {
                continue;
            }
            int first = (int) ((from - period.start()) / 3600);
            int last = (int) ((to - 1 - period.start()) / 3600);
            hoursByPlan.computeIfAbsent(plan, p -> new BitSet()).set(first, last + 1);
        }
        List<Charge> charges = new ArrayList<>();
        hoursByPlan.forEach((plan, hours) -> {
            long count = hours.cardinality();
            long sats = Plans.find(plan).orElseThrow().sats();
            charges.add(new Charge(relayId, plan, count, count * sats / period.hours()));
        });
        return charges;
    }

    /** @param history a tenant's relay activity, oldest first, any number of relays */
    public static List<Charge> ofRelays(List<Activity> history, Period period) {
        Map<String, List<Activity>> byRelay = new LinkedHashMap<>();
        for (Activity entry : history) {
            byRelay.computeIfAbsent(entry.resourceId(), id -> new ArrayList<>()).add(entry);
        }
        List<Charge> charges = new ArrayList<>();
        byRelay.forEach((relay, entries) -> charges.addAll(of(relay, entries, period)));
        return charges;
    }

    private static JsonNode snapshot(Activity activity) {
        try {
            return JSON.readTree(activity.snapshot());
        } catch (IOException e) {
            throw new UncheckedIOException("bad snapshot in activity " + activity.id(), e);
        }
    }
}
