package app.caravel.config;

import app.caravel.db.Dialect;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * DATABASE_URL, parsed once (SPEC §2): {@code sqlite://path} / {@code sqlite:path} (relative paths under the
 * project folder) or {@code postgres://user:pass@host:port/db} / {@code postgresql://…}, query parameters
 * (sslmode…) passed to the driver. The password is kept apart from the JDBC URL, and {@link #toString()}
 * never shows it, so a log line naming the database can't leak it.
 */
public record DatabaseUrl(Dialect engine, String jdbcUrl, Optional<Path> sqliteFile, Optional<String> user,
                          Optional<String> password) {
    private static final String VARIABLE = "DATABASE_URL";

    public static DatabaseUrl parse(String raw, Path baseDir) {
        String value = ConfigValues.optional(raw).orElseThrow(() -> new ConfigException(VARIABLE, "must be set"));
        if (value.startsWith("postgres://") || value.startsWith("postgresql://")) {
            return postgres(value);
        }
        Path file = ConfigValues.sqlitePath(VARIABLE, value, baseDir);
        return new DatabaseUrl(Dialect.SQLITE, "jdbc:sqlite:" + file, Optional.of(file), Optional.empty(),
                Optional.empty());
    }

    private static DatabaseUrl postgres(String value) {
        String rest = value.substring(value.indexOf("://") + 3);
        String userInfo = null;
        int at = rest.lastIndexOf('@', firstOf(rest, '/', '?'));
        if (at >= 0) {
            userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String pathAndQuery = slash < 0 ? "" : rest.substring(slash + 1);
        int q = pathAndQuery.indexOf('?');
        String database = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q);
        if (hostPort.isEmpty() || hostPort.contains("@")) {
            throw new ConfigException(VARIABLE, "a postgres:// URL names a host: postgres://user:pass@host:5432/db");
        }
        if (database.isEmpty() || database.contains("/")) {
            throw new ConfigException(VARIABLE, "a postgres:// URL names one database: postgres://user:pass@host:5432/db");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon))).filter(u -> !u.isEmpty());
            password = colon < 0 ? Optional.empty() : Optional.of(decode(userInfo.substring(colon + 1)));
        }
        return new DatabaseUrl(Dialect.POSTGRES, "jdbc:postgresql://" + hostPort + "/" + database + query,
                Optional.empty(), user, password);
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j < 0 ? s.length() : j;
        }
        return j < 0 ? i : Math.min(i, j);
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(VARIABLE, "the user or password has a broken %-escape");
        }
    }

    public boolean sqlite() {
        return engine == Dialect.SQLITE;
    }

    /** What start-up prints: the file, or the server and database with the user but never the password. */
    @Override
    public String toString() {
        // query values may hold a password too (password=, sslpassword=): only their names are shown
        return sqliteFile.map(Path::toString)
                .orElseGet(() -> "postgres://" + user.map(u -> u + "@").orElse("")
                        + jdbcUrl.substring("jdbc:postgresql://".length()).replaceAll("=[^&]*", "=…")
                        + (password.isPresent() ? " (password set)" : ""));
    }
}
