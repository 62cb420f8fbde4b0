package app.caravel.billing;

/** A billing period [start, end) in unix seconds; always whole hours (months are added in UTC). */
public record Period(long start, long end) {
    public long hours() {
        return (end - start) / 3600;
    }
}
