package app.caravel.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** An error answer, {@code {"error": "...", "code": "<slug>"}} with the code's status; thrown anywhere in a request. */
public class ApiException extends WebApplicationException {
    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message, Response.status(code.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new Envelope.Error(code, message)).build());
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(ErrorCode.BAD_REQUEST, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(ErrorCode.UNAUTHORIZED, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(ErrorCode.FORBIDDEN, message);
    }

    /** A signed caller that has not become a tenant, on a tenant-only route. */
    public static ApiException notATenant() {
        return forbidden("not a tenant yet: POST /tenants first");
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorCode.NOT_FOUND, message);
    }

    /** 422 invalid-field naming the field. */
    public static ApiException invalidField(String field, String message) {
        return new ApiException(ErrorCode.INVALID_FIELD, field + ": " + message);
    }
}
