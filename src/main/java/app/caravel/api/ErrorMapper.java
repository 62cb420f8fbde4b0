package app.caravel.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * The one mapper: every error a request ends in leaves as {@code {"error": "...", "code": "<slug>"}}, ours
 * ({@link ApiException}), Jersey's own (404, 405, 406, 415, ...), Jackson's, and anything unexpected, which is a
 * 500 that says nothing of the internals (the log has them, under the id the message gives).
 */
public final class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof ApiException api) {
            return api.getResponse();
        }
        if (e instanceof JsonProcessingException json) {
            return json(json);
        }
        if (e instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            return answer(status, ErrorCode.forStatus(status), switch (status) {
                case 404 -> "not found";
                case 405 -> "method not allowed";
                case 406 -> "only application/json answers are available";
                case 413 -> "request body over " + Nip98AuthFilter.MAX_BODY + " bytes";
                case 415 -> "content type must be application/json";
                default -> "bad request";
            });
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("unexpected error {}", id, e);
        return answer(500, ErrorCode.INTERNAL, "internal error (" + id + ")");
    }

    private static Response json(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return answer(400, ErrorCode.UNKNOWN_FIELD, "unknown field '" + unknown.getPropertyName() + "'");
        }
        if (e instanceof MismatchedInputException mismatched) {
            String field = mismatched.getPath().stream()
                    .map(ref -> ref.getFieldName() == null ? "[" + ref.getIndex() + "]" : ref.getFieldName())
                    .reduce((a, b) -> a + "." + b).orElse("body");
            return answer(400, ErrorCode.INVALID_JSON, "wrong type or shape for '" + field + "'");
        }
        return answer(400, ErrorCode.INVALID_JSON, "body is not valid JSON");
    }

    private static Response answer(int status, ErrorCode code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new Envelope.Error(code, message))
                .build();
    }
}
