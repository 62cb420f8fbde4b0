package app.caravel.nostr;

/**
 * JSON string escaping exactly as JSON.stringify does it, which is what NIP-01 ids are computed over:
 * the seven short escapes, other C0 controls as a lowercase six-character unicode escape, everything else raw.
 */
public final class JsonText {
    private JsonText() {
    }

    public static void quote(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
