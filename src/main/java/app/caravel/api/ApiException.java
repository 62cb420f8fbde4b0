package app.caravel.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** An answer of the form {@code {"error": "..."}} with its status; thrown anywhere in a request. */
public class ApiException extends WebApplicationException {

    public ApiException(int status, String message) {
        super(message, Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", message)).build());
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }

    /** A signed caller that has not become a tenant, on a tenant-only route. */
    public static ApiException notATenant() {
        return forbidden("not a tenant yet: POST /tenants first");
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    public static ApiException unprocessable(String message) {
        return new ApiException(422, message);
    }
}
