package app.caravel.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;

/** Every error leaves as {@code {"error": "..."}}; a 500 says nothing of the internals (they go to the log). */
public final class ErrorMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

    private ErrorMappers() {
    }

    static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("error", message)).build();
    }

    public static final class WebApplication implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            if (e instanceof ApiException) {
                return e.getResponse();
            }
            int status = e.getResponse().getStatus();
            String message = switch (status) {
                case 404 -> "not found";
                case 405 -> "method not allowed";
                case 406 -> "only application/json responses are available";
                case 413 -> "request body too large";
                case 415 -> "content type must be application/json";
                default -> status >= 500 ? "internal error" : (e.getMessage() == null ? "bad request" : e.getMessage());
            };
            if (status >= 500) {
                LOG.error("request failed", e);
            }
            return json(status, message);
        }
    }

    public static final class Json implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            if (e instanceof UnrecognizedPropertyException unknown) {
                return json(400, "unknown field '" + unknown.getPropertyName() + "'");
            }
            if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
                String field = ((MismatchedInputException) e).getPath().stream()
                        .map(ref -> ref.getFieldName() == null ? "[" + ref.getIndex() + "]" : ref.getFieldName())
                        .reduce((a, b) -> a + "." + b).orElse("body");
                return json(400, "wrong type or shape for '" + field + "'");
            }
            return json(400, "body is not valid JSON");
        }
    }

    public static final class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            if (e instanceof WebApplicationException web) {
                return new WebApplication().toResponse(web);
            }
            String id = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("unexpected error {}", id, e);
            return json(500, "internal error (" + id + ")");
        }
    }
}
