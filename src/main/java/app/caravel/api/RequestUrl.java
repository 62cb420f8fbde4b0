package app.caravel.api;

import jakarta.ws.rs.container.ContainerRequestContext;

import java.net.URI;

/**
 * The absolute URL a client signed in its NIP-98 {@code u} tag: PUBLIC_URL (the configured base, never a
 * header the client sends) followed by the request's raw path and query.
 */
public final class RequestUrl {
    private final String base;

    public RequestUrl(String publicUrl) {
        this.base = publicUrl;
    }

    /** What a session token's {@code u} names. */
    public String base() {
        return base;
    }

    public String of(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        return base + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
