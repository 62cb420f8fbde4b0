package app.caravel.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/** The wire contract's two shapes: {@code {"data": …, "code": "ok"}} and {@code {"error": "…", "code": "<slug>"}}. */
public final class Envelope {
    public static final String OK = "ok";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Envelope() {
    }

    /** A success. */
    public record Data(Object data, String code) {
        public Data(Object data) {
            this(data, OK);
        }
    }

    /** A failure. */
    public record Error(String error, String code) {
        public Error(ErrorCode code, String message) {
            this(message, code.slug());
        }
    }

    /** The error body as bytes, for the places outside Jersey (Jetty's own error answers). */
    public static byte[] errorBytes(ErrorCode code, String message) {
        ObjectNode body = JSON.createObjectNode().put("error", message).put("code", code.slug());
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
