package app.caravel.db;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Recognises SQLite's unique-key violations, the last word when two requests race for the same key. */
public final class Conflicts {
    private Conflicts() {
    }

    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLiteException sqlite
                    && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                    || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
                return true;
            }
        }
        return false;
    }
}
