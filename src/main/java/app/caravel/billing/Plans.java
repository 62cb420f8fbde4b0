package app.caravel.billing;

import java.util.List;
import java.util.Optional;

/** The plans of SPEC §3, fixed in code: the API serves this list as the single source of truth. */
public final class Plans {
    public static final Plan FREE = new Plan("free", "Free", 0, 10, false, false);
    public static final Plan BASIC = new Plan("basic", "Basic", 10_000, 100, true, true);
    public static final Plan GROWTH = new Plan("growth", "Growth", 50_000, null, true, true);
    public static final List<Plan> ALL = List.of(FREE, BASIC, GROWTH);

    private Plans() {
    }

    public static Optional<Plan> find(String id) {
        return ALL.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
