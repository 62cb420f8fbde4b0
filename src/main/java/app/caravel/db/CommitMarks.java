package app.caravel.db;

import io.dropwizard.lifecycle.Managed;

import java.util.OptionalLong;

/**
 * Tells whether anything was committed to the database between two moments, without reading a table: a cache
 * that took a mark when it last checked its rows can serve them again while the mark is unchanged.
 */
public interface CommitMarks extends Managed {
    /** For engines that cannot tell cheaply: never a mark, so every cached answer is checked against its rows. */
    CommitMarks NONE = OptionalLong::empty;

    /**
     * A mark of what is committed now: two equal marks mean nothing was committed, by any connection or
     * process, between the two calls. Empty when it cannot be told (the caller checks its rows instead).
     */
    OptionalLong now();
}
