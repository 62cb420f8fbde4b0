package app.caravel.api;

import jakarta.ws.rs.container.ContainerRequestContext;

import java.net.URI;

/**
 * The absolute URL a client signed in its NIP-98 `u` tag. By default it is rebuilt from the configured
 * HOST and PORT, so a client can't pick what we compare against; behind a reverse proxy the operator opts
 * in to X-Forwarded-Proto / X-Forwarded-Host (falling back to Host).
 */
public final class RequestUrl {
    private final String configuredBase;
    private final boolean trustForwarded;

    public RequestUrl(String host, int port, boolean trustForwarded) {
        this.configuredBase = "http://" + host + ":" + port;
        this.trustForwarded = trustForwarded;
    }

    public String of(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return base(request) + pathAndQuery;
    }

    private String base(ContainerRequestContext request) {
        if (!trustForwarded) {
            return configuredBase;
        }
        String proto = first(request.getHeaderString("X-Forwarded-Proto"));
        String host = first(request.getHeaderString("X-Forwarded-Host"));
        if (host == null) {
            host = request.getHeaderString("Host");
        }
        if (host == null) {
            return configuredBase;
        }
        return (proto == null ? "http" : proto) + "://" + host;
    }

    private static String first(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).trim();
    }
}
