package app.caravel.db;

import java.util.UUID;

/** Random ids for every table that has one. */
public final class Ids {
    private Ids() {
    }

    public static String random() {
        return UUID.randomUUID().toString();
    }
}
