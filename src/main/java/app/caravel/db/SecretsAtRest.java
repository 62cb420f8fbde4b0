package app.caravel.db;

import app.caravel.config.ConfigException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;

/**
 * The sealed columns (tenants.nwc_url, relays.secret) and what happens to them as a whole: the start-up check
 * that the key opens them, the sealing of rows written before sealing existed, and key rotation. Every row is
 * rewritten with a conditional update on its old value, so runs can overlap, stop and start again.
 */
public final class SecretsAtRest {
    /** A known text sealed under the current key: a wrong key is told at start-up, not at the first payment. */
    private static final String CHECK_NAME = "secrets_check";
    private static final String CHECK_TEXT = "caravel sealed secrets";
    private static final List<Column> COLUMNS = List.of(new Column("tenants", "pubkey", "nwc_url"),
            new Column("relays", "id", "secret"));

    private record Column(String table, String key, String value) {
    }

    private SecretsAtRest() {
    }

    /**
     * Refuses to start with a key that does not open what is stored (a ConfigException naming SECRETS_KEY), then
     * seals every plaintext row. Returns how many rows were sealed.
     */
    public static int prepare(Jdbi jdbi, SecretsKeys.Key key) {
        SecretBox box = key.box();
        String check = jdbi.withHandle(h -> h.createQuery("SELECT value FROM settings WHERE name = :name")
                .bind("name", CHECK_NAME).mapTo(String.class).findOne().orElse(null));
        if (check == null) {
            sampleSealed(jdbi).filter(sealed -> !box.opens(sealed)).ifPresent(s -> {
                throw wrongKey(key);
            });
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO settings (name, value) VALUES (:name, :value) "
                    + "ON CONFLICT DO NOTHING").bind("name", CHECK_NAME).bind("value", box.seal(CHECK_TEXT)).execute());
        } else if (!box.opens(check)) {
            throw wrongKey(key);
        }
        int sealed = 0;
        for (Column column : COLUMNS) {
            for (Map.Entry<String, String> row : rows(jdbi, column)) {
                if (!SecretBox.isSealed(row.getValue())) {
                    sealed += replace(jdbi, column, row.getKey(), row.getValue(), box.seal(row.getValue()));
                }
            }
        }
        return sealed;
    }

    /** What a rotation did: rows moved to the new key now, and rows already under it (a rerun). */
    public record Rotation(int resealed, int alreadyNew) {
    }

    /**
     * Re-seals every row from {@code from} to {@code to}, then the check. Resumable: a row the new key opens
     * already is left alone, so a run killed half-way is simply run again. Run it with the servers stopped and
     * start them with the new key afterwards.
     */
    public static Rotation rotate(Jdbi jdbi, SecretBox from, SecretBox to) {
        int resealed = 0;
        int alreadyNew = 0;
        for (Column column : COLUMNS) {
            for (Map.Entry<String, String> row : rows(jdbi, column)) {
                if (SecretBox.isSealed(row.getValue()) && to.opens(row.getValue())) {
                    alreadyNew++;
                    continue;
                }
                String plain = from.open(row.getValue());
                resealed += replace(jdbi, column, row.getKey(), row.getValue(), to.seal(plain));
            }
        }
        String check = to.seal(CHECK_TEXT);
        jdbi.useHandle(h -> {
            if (h.createUpdate("UPDATE settings SET value = :value WHERE name = :name").bind("name", CHECK_NAME)
                    .bind("value", check).execute() == 0) {
                h.createUpdate("INSERT INTO settings (name, value) VALUES (:name, :value)").bind("name", CHECK_NAME)
                        .bind("value", check).execute();
            }
        });
        return new Rotation(resealed, alreadyNew);
    }

    private static ConfigException wrongKey(SecretsKeys.Key key) {
        return new ConfigException("SECRETS_KEY", "the key (" + key.source() + ") does not open the secrets sealed in "
                + "this database: start with the key they were sealed with, or move them to a new key with the "
                + "rotate-secrets-key command");
    }

    private static java.util.Optional<String> sampleSealed(Jdbi jdbi) {
        for (Column column : COLUMNS) {
            var found = jdbi.withHandle(h -> h.createQuery("SELECT " + column.value() + " FROM " + column.table()
                    + " WHERE " + column.value() + " LIKE 'sealed:%' LIMIT 1").mapTo(String.class).findOne());
            if (found.isPresent()) {
                return found;
            }
        }
        return java.util.Optional.empty();
    }

    private static List<Map.Entry<String, String>> rows(Jdbi jdbi, Column column) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + column.key() + ", " + column.value() + " FROM "
                        + column.table() + " WHERE " + column.value() + " IS NOT NULL ORDER BY " + column.key())
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).list());
    }

    private static int replace(Jdbi jdbi, Column column, String key, String old, String replacement) {
        return jdbi.withHandle((Handle h) -> h.createUpdate("UPDATE " + column.table() + " SET " + column.value()
                        + " = :replacement WHERE " + column.key() + " = :key AND " + column.value() + " = :old")
                .bind("replacement", replacement).bind("key", key).bind("old", old).execute());
    }
}
