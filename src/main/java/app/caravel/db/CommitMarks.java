package app.caravel.db;

import io.dropwizard.lifecycle.Managed;

import java.util.OptionalLong;

/**
 * Tells whether anything was committed to the database between two moments, without reading a table: a cache
 * that took a mark when it last checked its rows can serve them again while the mark is unchanged.
 */
public interface CommitMarks extends Managed {
    /**
     * A mark of what is committed now: two equal marks mean nothing was committed, by any connection or
     * process, between the two calls. Empty when it cannot be told now (the caller checks its rows instead).
     */
    OptionalLong now();
}
