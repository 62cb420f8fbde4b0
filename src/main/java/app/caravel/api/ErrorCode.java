package app.caravel.api;

import java.util.Arrays;
import java.util.Locale;

/**
 * Every error the API answers, as {@code {"error": "<message>", "code": "<slug>"}}: a frontend branches on the
 * slug, never on the message. The OpenAPI document lists these, and for each route the ones it can answer.
 */
public enum ErrorCode {
    BAD_REQUEST(400, "the request is malformed (path, query, header, Content-Length)"),
    INVALID_JSON(400, "the body is not JSON, or a value has the wrong type or shape"),
    UNKNOWN_FIELD(400, "the body has a field this route does not take"),
    RELAY_IS_INACTIVE(400, "deactivating a relay that is already inactive or delinquent"),
    UNAUTHORIZED(401, "missing or invalid NIP-98 authorization; the message names the rule that failed"),
    FORBIDDEN(403, "signed, but not allowed: not an admin, not the owner, or not a tenant yet"),
    NOT_FOUND(404, "no such route or resource"),
    METHOD_NOT_ALLOWED(405, "the route does not take this method"),
    NOT_ACCEPTABLE(406, "only application/json answers are available"),
    DUPLICATE_SUBDOMAIN(409, "the subdomain is taken (inactive relays included)"),
    RELAY_IS_DELINQUENT(409, "the tenant owes an overdue invoice: a paid relay stays out of service until it is paid"),
    INVOICE_NOT_PENDING(409, "only a pending invoice can be closed"),
    PAYMENT_IN_FLIGHT(409, "a payment of the invoice is in flight; try again once its outcome is known"),
    PAYLOAD_TOO_LARGE(413, "the body is over 64 KiB"),
    URI_TOO_LONG(414, "the request line is too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "the body must be application/json"),
    INVALID_SUBDOMAIN(422, "subdomain: 1-63 of a-z, 0-9, '-', no leading or trailing '-'"),
    RESERVED_SUBDOMAIN(422, "the subdomain is reserved"),
    INVALID_PLAN(422, "no such plan"),
    PLAN_FEATURE(422, "blossom or livekit asked for on a plan without it"),
    MEMBER_LIMIT(422, "the relay has more members than the plan allows"),
    INVALID_NWC_URL(422, "nwc_url is not a usable NWC connection URI"),
    INVALID_FIELD(422, "a field's value is refused; the message names the field"),
    HEADERS_TOO_LARGE(431, "the request headers are too large"),
    INTERNAL(500, "an internal error; details are in the server log, never in the answer"),
    UPSTREAM_UNAVAILABLE(503, "the route must ask zooid, and zooid cannot be reached");

    private final int status;
    private final String meaning;

    ErrorCode(int status, String meaning) {
        this.status = status;
        this.meaning = meaning;
    }

    public int status() {
        return status;
    }

    public String meaning() {
        return meaning;
    }

    /** The wire form: {@code relay-is-inactive}. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The code for a bare status (what Jersey or Jetty answered by itself). */
    public static ErrorCode forStatus(int status) {
        if (status >= 500) {
            return status == 503 ? UPSTREAM_UNAVAILABLE : INTERNAL;
        }
        return Arrays.stream(values()).filter(c -> c.status == status).findFirst().orElse(BAD_REQUEST);
    }
}
