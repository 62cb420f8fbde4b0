package app.caravel.support;

import java.nio.file.Path;

/**
 * Which engine this test run uses: SQLite unless the build runs the suite again with
 * {@code -Dcaravel.test.engine=postgres} (the pom's second surefire execution does, for the DAO, access,
 * billing and provisioning tests).
 */
public final class TestEngine {
    private TestEngine() {
    }

    public static boolean postgres() {
        return "postgres".equals(System.getProperty("caravel.test.engine", "sqlite"));
    }

    /**
     * SECRETS_KEY for the tests' PostgreSQL databases, where the key must be given (SQLite's test apps use the
     * key file made beside their database). A test value, never a real one.
     */
    public static final String POSTGRES_SECRETS_KEY = "5ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0";

    /** The variables a test gives a process on {@code url}: the URL, and the key PostgreSQL needs. */
    public static java.util.Map<String, String> databaseSettings(String url) {
        return url.startsWith("postgres")
                ? java.util.Map.of("DATABASE_URL", url, "SECRETS_KEY", POSTGRES_SECRETS_KEY)
                : java.util.Map.of("DATABASE_URL", url);
    }

    /** A fresh, empty database for one test app: a file under {@code dir}, or a new PostgreSQL database. */
    public static String freshDatabaseUrl(Path dir) {
        return postgres() ? TestPostgres.newDatabaseUrl() : "sqlite://" + dir.resolve("caravel.db");
    }
}
