package app.caravel.api;

import app.caravel.nostr.Nip98;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.Set;

/**
 * The one place requests are authenticated. It caps the body (413), checks the NIP-98 header (either form,
 * {@link Nip98}) against PUBLIC_URL, the path, method and raw body (401 naming the rule that failed), refuses a
 * replayed per-request signature on a state-changing request, then puts the {@link Caller} on the security
 * context for the resources.
 */
@Priority(Priorities.AUTHENTICATION)
public final class Nip98AuthFilter implements ContainerRequestFilter {
    public static final int MAX_BODY = 64 * 1024;
    /** Bodies too large but at most this big are read to their end before the 413 (see {@link #tooLarge}). */
    private static final long DRAIN_LIMIT = 4L * 1024 * 1024;
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Nip98 nip98;
    private final RequestUrl requestUrl;
    private final ReplayCache replays;
    private final Set<String> admins;
    @Context
    private HttpServletRequest servletRequest;

    public Nip98AuthFilter(Nip98 nip98, RequestUrl requestUrl, ReplayCache replays, Set<String> admins) {
        this.nip98 = nip98;
        this.requestUrl = requestUrl;
        this.replays = replays;
        this.admins = Set.copyOf(admins);
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        byte[] body = readBody(request);
        Nip98.Auth auth;
        try {
            auth = nip98.verify(request.getHeaderString(HttpHeaders.AUTHORIZATION), requestUrl.base(),
                    requestUrl.of(request), wireMethod(request), body);
        } catch (Nip98.Failure failure) {
            throw ApiException.unauthorized(failure.getMessage());
        }
        // a session token is reused by design; a per-request one is good for one state change, claimed in the
        // request's own write transaction (ReplayCache) or, if it commits none, when its answer is decided
        replays.release();
        if (!auth.session() && STATE_CHANGING.contains(request.getMethod())) {
            if (replays.seen(auth.event().sig(), auth.event().createdAt())) {
                throw ApiException.unauthorized("auth event already used: sign each request anew");
            }
            replays.hold(auth.event().sig(), auth.event().createdAt());
        }
        Caller caller = new Caller(auth.pubkey(), admins.contains(auth.pubkey()));
        boolean secure = request.getSecurityContext().isSecure();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }

            @Override
            public boolean isUserInRole(String role) {
                return "admin".equals(role) && caller.admin();
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return "NIP-98";
            }
        });
    }

    /** The method the client sent: Jersey serves HEAD with the GET method and reports GET. */
    private String wireMethod(ContainerRequestContext request) {
        return servletRequest != null ? servletRequest.getMethod() : request.getMethod();
    }

    /** Reads the raw body (needed for the payload hash) and puts it back for Jersey. */
    private static byte[] readBody(ContainerRequestContext request) throws IOException {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad Content-Length");
        }
        if (declared > MAX_BODY) {
            throw tooLarge(request, declared);
        }
        if (!request.hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = request.getEntityStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw tooLarge(request, -1);
            }
            request.setEntityStream(new ByteArrayInputStream(body));
            return body;
        }
    }

    /**
     * The 413, after reading what is left of a body of up to {@link #DRAIN_LIMIT} bytes: a server that answers
     * while the client is still sending closes the connection under it, and the client may then see a reset
     * instead of the answer. Larger bodies are not read; their connection is closed.
     */
    private static ApiException tooLarge(ContainerRequestContext request, long declared) throws IOException {
        if (declared <= DRAIN_LIMIT) {
            try (InputStream in = request.getEntityStream()) {
                byte[] sink = new byte[8192];
                long left = DRAIN_LIMIT;
                int read;
                while (left > 0 && (read = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                    left -= read;
                }
            }
        }
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "request body over " + MAX_BODY + " bytes");
    }
}
