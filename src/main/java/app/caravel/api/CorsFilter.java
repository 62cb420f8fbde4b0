package app.caravel.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * CORS for the browser dashboards. Preflights are answered before routing and authentication (browsers
 * never sign them); with ALLOW_ORIGINS empty any origin is allowed, which is safe because credentials
 * travel in a signed header, not cookies.
 */
@PreMatching
public final class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String METHODS = "GET, POST, PUT, DELETE, OPTIONS";
    private static final String HEADERS = "Authorization, Content-Type";
    private final List<String> allowed;

    public CorsFilter(List<String> allowedOrigins) {
        this.allowed = List.copyOf(allowedOrigins);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if ("OPTIONS".equals(request.getMethod()) && origin != null
                && request.getHeaderString("Access-Control-Request-Method") != null) {
            Response.ResponseBuilder preflight = Response.noContent();
            if (isAllowed(origin)) {
                preflight.header("Access-Control-Allow-Origin", allowed.isEmpty() ? "*" : origin)
                        .header("Access-Control-Allow-Methods", METHODS)
                        .header("Access-Control-Allow-Headers", HEADERS)
                        .header("Access-Control-Max-Age", "600");
            }
            request.abortWith(preflight.header("Vary", "Origin").build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        MultivaluedMap<String, Object> headers = response.getHeaders();
        if (origin != null && isAllowed(origin) && !headers.containsKey("Access-Control-Allow-Origin")) {
            headers.putSingle("Access-Control-Allow-Origin", allowed.isEmpty() ? "*" : origin);
            headers.add("Vary", "Origin");
        }
    }

    private boolean isAllowed(String origin) {
        return allowed.isEmpty() || allowed.contains(origin);
    }
}
