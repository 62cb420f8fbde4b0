package app.caravel.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parsers for the string values of config.yml. Every value arrives as a string (environment substitution
 * produces strings), so each parser names the variable it reads: a malformed value stops start-up with a
 * message an operator can act on. None of them echoes a secret value back.
 */
public final class ConfigValues {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private ConfigValues() {
    }

    /** Empty or blank means "not set". */
    public static Optional<String> optional(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(raw.trim());
    }

    public static int integer(String variable, String raw, int min, int max, int fallback) {
        Optional<String> value = optional(raw);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                throw new ConfigException(variable, "must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(variable, "must be a whole number, got '" + value.get() + "'");
        }
    }

    public static boolean bool(String variable, String raw, boolean fallback) {
        Optional<String> value = optional(raw);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(variable, "must be true or false, got '" + value.get() + "'");
        };
    }

    /** A 64-char hex Nostr key (public or secret). The value is never quoted back: it may be a secret. */
    public static Optional<String> hexKey(String variable, String raw) {
        Optional<String> value = optional(raw);
        if (value.isPresent() && !HEX64.matcher(value.get().toLowerCase(Locale.ROOT)).matches()) {
            throw new ConfigException(variable, "must be 64 hex characters");
        }
        return value.map(v -> v.toLowerCase(Locale.ROOT));
    }

    /** Comma-separated pubkeys, each 64 hex characters. */
    public static List<String> pubkeyList(String variable, String raw) {
        List<String> keys = new ArrayList<>();
        for (String item : items(raw)) {
            String key = item.toLowerCase(Locale.ROOT);
            if (!HEX64.matcher(key).matches()) {
                throw new ConfigException(variable, "'" + item + "' is not a 64-char hex pubkey");
            }
            keys.add(key);
        }
        return List.copyOf(keys);
    }

    /** Comma-separated strings, trimmed, blanks dropped. */
    public static List<String> items(String raw) {
        if (raw == null) {
            return List.of();
        }
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Comma-separated relay URLs: trimmed; an entry without ws:// or wss:// gets wss://. */
    public static List<String> relayList(String variable, String raw) {
        List<String> relays = new ArrayList<>();
        for (String item : items(raw)) {
            String url = item.startsWith("ws://") || item.startsWith("wss://") ? item : "wss://" + item;
            try {
                URI uri = new URI(url);
                if (uri.getHost() == null || uri.getHost().isEmpty()) {
                    throw new ConfigException(variable, "'" + item + "' has no host");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(variable, "'" + item + "' is not a relay URL");
            }
            if (!relays.contains(url)) {
                relays.add(url);
            }
        }
        return List.copyOf(relays);
    }

    /** An absolute http(s) URL, trailing slash removed. */
    public static Optional<String> httpUrl(String variable, String raw) {
        Optional<String> value = optional(raw);
        if (value.isEmpty()) {
            return value;
        }
        try {
            URI uri = new URI(value.get());
            String scheme = uri.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
                throw new ConfigException(variable, "must be an absolute http:// or https:// URL");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException(variable, "must be an absolute http:// or https:// URL");
        }
        String url = value.get();
        return Optional.of(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    /**
     * {@code sqlite://path} or {@code sqlite:path}; a relative path is resolved under {@code baseDir}.
     * {@code sqlite:///abs/path} is absolute.
     */
    public static Path sqlitePath(String variable, String raw, Path baseDir) {
        String value = optional(raw).orElseThrow(() -> new ConfigException(variable, "must be set"));
        String path;
        if (value.startsWith("sqlite://")) {
            path = value.substring("sqlite://".length());
        } else if (value.startsWith("sqlite:")) {
            path = value.substring("sqlite:".length());
        } else {
            // only the scheme is echoed: the rest of a URL may hold a password
            int colon = value.indexOf(':');
            throw new ConfigException(variable, "must be sqlite://path or postgres://user:pass@host:port/db, got "
                    + (colon > 0 ? "a " + value.substring(0, colon) + ": URL" : "no URL scheme"));
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.isEmpty() || path.equals(":memory:")) {
            throw new ConfigException(variable, "must name a database file");
        }
        Path file = Path.of(path);
        return (file.isAbsolute() ? file : baseDir.resolve(file)).normalize();
    }
}
