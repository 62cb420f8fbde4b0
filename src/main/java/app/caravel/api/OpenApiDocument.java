package app.caravel.api;

import app.caravel.billing.Plan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static app.caravel.api.ErrorCode.*;

/**
 * The OpenAPI 3 document of the API, built from one table of routes (each with the error codes it can answer)
 * and from the records the API reads and writes, so the schemas are the wire shapes by construction. A test
 * keeps the table equal to the routes Jersey serves.
 */
public final class OpenApiDocument {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /** Whoever may call it, what it takes and answers, and the error codes beyond the ones every route has. */
    public record Route(String method, String path, String summary, boolean signed, Class<?> body, int status,
                        Class<?> answer, boolean list, Set<ErrorCode> errors) {
    }

    /** Every route can answer these (malformed requests, oversized ones, internal errors). */
    static final Set<ErrorCode> EVERY_ROUTE = EnumSet.of(BAD_REQUEST, METHOD_NOT_ALLOWED, NOT_ACCEPTABLE, URI_TOO_LONG,
            HEADERS_TOO_LARGE, INTERNAL);
    private static final Set<ErrorCode> BODY = EnumSet.of(INVALID_JSON, UNKNOWN_FIELD, UNSUPPORTED_MEDIA_TYPE,
            PAYLOAD_TOO_LARGE);

    private static Set<ErrorCode> codes(Set<ErrorCode> base, ErrorCode... more) {
        Set<ErrorCode> all = EnumSet.noneOf(ErrorCode.class);
        all.addAll(base);
        all.addAll(List.of(more));
        return all;
    }

    private static Set<ErrorCode> codes(ErrorCode... codes) {
        return codes(EnumSet.noneOf(ErrorCode.class), codes);
    }

    public static final List<Route> ROUTES = List.of(
            new Route("GET", "/plans", "The plans: the single source of truth for prices and limits", false, null, 200,
                    Plan.class, true, codes()),
            new Route("GET", "/plans/{id}", "One plan", false, null, 200, Plan.class, false, codes(NOT_FOUND)),
            new Route("GET", "/identity", "Who the caller is", true, null, 200, Views.Identity.class, false, codes()),
            new Route("GET", "/tenants", "All tenants (admins)", true, null, 200, Views.TenantView.class, true,
                    codes(FORBIDDEN)),
            new Route("POST", "/tenants", "Makes the caller a tenant: 201 new, 200 with the existing one", true,
                    Requests.CreateTenant.class, 201, Views.TenantView.class, false, codes(BODY, INVALID_NWC_URL)),
            new Route("GET", "/tenants/{pubkey}", "A tenant (admin or itself); never its NWC URL", true, null, 200,
                    Views.TenantView.class, false, codes(FORBIDDEN, NOT_FOUND)),
            new Route("PUT", "/tenants/{pubkey}/billing", "Sets (or with null clears) the tenant's NWC wallet", true,
                    Requests.Billing.class, 200, Views.TenantView.class, false,
                    codes(BODY, FORBIDDEN, NOT_FOUND, INVALID_NWC_URL)),
            new Route("GET", "/tenants/{pubkey}/relays", "A tenant's relays", true, null, 200, Views.RelayView.class,
                    true, codes(FORBIDDEN, NOT_FOUND)),
            new Route("GET", "/tenants/{pubkey}/invoices", "A tenant's invoices with their items", true, null, 200,
                    Views.InvoiceView.class, true, codes(FORBIDDEN, NOT_FOUND)),
            new Route("GET", "/relays", "Relays: a tenant's own; an admin's all, or ?tenant=", true, null, 200,
                    Views.RelayView.class, true, codes(FORBIDDEN)),
            new Route("POST", "/relays", "Creates a relay (status new) and enqueues its provisioning", true,
                    Requests.RelayBody.class, 201, Views.RelayView.class, false, codes(BODY, FORBIDDEN,
                    DUPLICATE_SUBDOMAIN, RELAY_IS_DELINQUENT, INVALID_SUBDOMAIN, RESERVED_SUBDOMAIN, INVALID_PLAN,
                    PLAN_FEATURE, INVALID_FIELD)),
            new Route("GET", "/relays/{id}", "A relay (admin or owner)", true, null, 200, Views.RelayView.class, false,
                    codes(FORBIDDEN, NOT_FOUND)),
            new Route("PUT", "/relays/{id}", "Updates info, plan and policy fields; enqueues a sync. Read-only fields "
                    + "may be sent back as read", true, Requests.RelayBody.class, 200, Views.RelayView.class, false,
                    codes(BODY, FORBIDDEN, NOT_FOUND, RELAY_IS_DELINQUENT, INVALID_PLAN, PLAN_FEATURE, MEMBER_LIMIT,
                            INVALID_FIELD, UPSTREAM_UNAVAILABLE)),
            new Route("GET", "/relays/{id}/members", "The relay's members as zooid lists them, their count and the plan's "
                    + "limit (null: unlimited); none before zooid has the relay", true, null, 200, Views.Members.class,
                    false, codes(FORBIDDEN, NOT_FOUND, UPSTREAM_UNAVAILABLE)),
            new Route("POST", "/relays/{id}/deactivate", "Takes the relay out of service (inactive)", true, null, 200,
                    Views.RelayView.class, false, codes(FORBIDDEN, NOT_FOUND, RELAY_IS_INACTIVE)),
            new Route("POST", "/relays/{id}/activate", "Brings an inactive relay back (new, then active)", true, null,
                    200, Views.RelayView.class, false, codes(FORBIDDEN, NOT_FOUND, RELAY_IS_DELINQUENT)),
            new Route("GET", "/invoices", "Invoices with items: a tenant's own; an admin's all, or ?tenant=", true, null,
                    200, Views.InvoiceView.class, true, codes(FORBIDDEN)),
            new Route("POST", "/invoices/{id}/close", "Forgives a pending invoice (admins)", true, null, 200,
                    Views.InvoiceView.class, false, codes(FORBIDDEN, NOT_FOUND, INVOICE_NOT_PENDING, PAYMENT_IN_FLIGHT)),
            new Route("GET", "/openapi.json", "This document (served as it is, without the envelope)", false, null, 200,
                    null, false, codes()));

    private static final Map<Class<?>, String> SCHEMAS = new LinkedHashMap<>();

    static {
        SCHEMAS.put(Plan.class, "Plan");
        SCHEMAS.put(Views.Identity.class, "Identity");
        SCHEMAS.put(Views.TenantView.class, "Tenant");
        SCHEMAS.put(Views.RelayView.class, "Relay");
        SCHEMAS.put(Views.Members.class, "Members");
        SCHEMAS.put(Views.ItemView.class, "InvoiceItem");
        SCHEMAS.put(Views.InvoiceView.class, "Invoice");
        SCHEMAS.put(Requests.CreateTenant.class, "CreateTenant");
        SCHEMAS.put(Requests.Billing.class, "Billing");
        SCHEMAS.put(Requests.RelayBody.class, "RelayInput");
    }

    private OpenApiDocument() {
    }

    /** The error codes a route can answer: its own, every route's, and 401 where it must be signed. */
    public static Set<ErrorCode> errorsOf(Route route) {
        Set<ErrorCode> all = codes(route.errors());
        all.addAll(EVERY_ROUTE);
        if (route.signed()) {
            all.add(UNAUTHORIZED);
        }
        return all;
    }

    public static JsonNode build(String serverUrl) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Caravel backend").put("version", "0.2.0").put("description", """
                Signed routes need `Authorization: Nostr <base64 event>` (NIP-98, kind 27235): per request (u = the \
                full URL, a method tag, a payload tag with the body's sha256), or, where the operator turned them \
                on, a session token (u = the server URL exactly, no method tag). A success is \
                `{"data": ..., "code": "ok"}`, an error `{"error": "...", "code": "<slug>"}`; branch on the code. \
                The codes are listed under x-error-codes, and each route lists the ones it can answer.""");
        ArrayNode codes = info.putArray("x-error-codes");
        for (ErrorCode code : ErrorCode.values()) {
            codes.addObject().put("code", code.slug()).put("status", code.status()).put("meaning", code.meaning());
        }
        doc.putArray("servers").addObject().put("url", serverUrl);
        ObjectNode paths = doc.putObject("paths");
        for (Route route : ROUTES) {
            ObjectNode path = paths.has(route.path()) ? (ObjectNode) paths.get(route.path()) : paths.putObject(route.path());
            path.set(route.method().toLowerCase(java.util.Locale.ROOT), operation(route));
        }
        ObjectNode components = doc.putObject("components");
        components.putObject("securitySchemes").putObject("nip98").put("type", "apiKey").put("in", "header")
                .put("name", "Authorization").put("description", "Nostr <base64 of a signed kind 27235 event>");
        ObjectNode schemas = components.putObject("schemas");
        ObjectNode error = schemas.putObject("Error").put("type", "object");
        error.putArray("required").add("error").add("code");
        ObjectNode errorProps = error.putObject("properties");
        errorProps.putObject("error").put("type", "string");
        ArrayNode slugs = errorProps.putObject("code").put("type", "string").putArray("enum");
        for (ErrorCode code : ErrorCode.values()) {
            slugs.add(code.slug());
        }
        SCHEMAS.forEach((type, name) -> schemas.set(name, schemaOf(type)));
        return doc;
    }

    private static ObjectNode operation(Route route) {
        ObjectNode op = JSON.createObjectNode();
        op.put("summary", route.summary());
        if (!route.signed()) {
            op.putArray("security");
        } else {
            op.putArray("security").addObject().putArray("nip98");
        }
        for (String parameter : parameters(route.path())) {
            op.withArray("parameters").addObject().put("name", parameter).put("in", "path").put("required", true)
                    .putObject("schema").put("type", "string");
        }
        if (route.path().equals("/relays") && route.method().equals("GET") || route.path().equals("/invoices")) {
            op.withArray("parameters").addObject().put("name", "tenant").put("in", "query").put("required", false)
                    .put("description", "admins only: one tenant's").putObject("schema").put("type", "string");
        }
        if (route.body() != null) {
            op.putObject("requestBody").put("required", !route.body().equals(Requests.CreateTenant.class))
                    .putObject("content").putObject("application/json").set("schema", ref(route.body()));
        }
        ObjectNode responses = op.putObject("responses");
        ObjectNode ok = responses.putObject(String.valueOf(route.status())).put("description", "OK");
        if (route.answer() != null) {
            ObjectNode envelope = ok.putObject("content").putObject("application/json").putObject("schema")
                    .put("type", "object");
            envelope.putArray("required").add("data").add("code");
            ObjectNode props = envelope.putObject("properties");
            props.set("data", route.list() ? JSON.createObjectNode().put("type", "array").set("items", ref(route.answer()))
                    : ref(route.answer()));
            props.putObject("code").put("type", "string").putArray("enum").add(Envelope.OK);
        } else {
            ok.putObject("content").putObject("application/json").putObject("schema").put("type", "object");
        }
        Map<Integer, List<String>> byStatus = new java.util.TreeMap<>();
        for (ErrorCode code : errorsOf(route)) {
            byStatus.computeIfAbsent(code.status(), s -> new ArrayList<>()).add(code.slug());
        }
        byStatus.forEach((status, slugs) -> {
            ObjectNode answer = responses.putObject(String.valueOf(status)).put("description", String.join(", ", slugs));
            ObjectNode schema = answer.putObject("content").putObject("application/json").putObject("schema");
            schema.putArray("allOf").add(JSON.createObjectNode().put("$ref", "#/components/schemas/Error"));
            ArrayNode allowed = JSON.createArrayNode();
            slugs.forEach(allowed::add);
            answer.set("x-codes", allowed);
        });
        return op;
    }

    private static List<String> parameters(String path) {
        List<String> names = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([a-z]+)}").matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static ObjectNode ref(Class<?> type) {
        return JSON.createObjectNode().put("$ref", "#/components/schemas/" + SCHEMAS.get(type));
    }

    /** A record's JSON shape: its components, in snake_case, with their JSON types. */
    private static ObjectNode schemaOf(Class<?> record) {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        for (RecordComponent component : record.getRecordComponents()) {
            props.set(SNAKE.translate(component.getName()), typeOf(component.getGenericType()));
        }
        return schema;
    }

    private static ObjectNode typeOf(Type type) {
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            Type item = list.getActualTypeArguments()[0];
            return JSON.createObjectNode().put("type", "array").set("items",
                    SCHEMAS.containsKey(item) ? ref((Class<?>) item) : typeOf(item));
        }
        if (type == String.class) {
            return JSON.createObjectNode().put("type", "string");
        }
        if (type == boolean.class || type == Boolean.class) {
            return JSON.createObjectNode().put("type", "boolean");
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return JSON.createObjectNode().put("type", "integer");
        }
        return JSON.createObjectNode().put("description", "any JSON value (read-only: sent back as read)");
    }
}
